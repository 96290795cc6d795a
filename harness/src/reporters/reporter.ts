import type { CaseResult, Report } from '../model.js';

export interface BeginInfo {
  total: number;
  driver: string;
  target: string;
  workers?: number;
  shard?: { current: number; total: number };
}

/** A reporter is a plug-in over the one result model; every hook is optional. */
export interface Reporter {
  onBegin?(info: BeginInfo): void | Promise<void>;
  /** Each result in plan order, so that output is the same whatever the number of workers. */
  onResult?(result: CaseResult): void | Promise<void>;
  /** Each result as soon as its run ends (completion order), with the count so far: for progress displays. */
  onRunEnd?(result: CaseResult, done: number, total: number): void | Promise<void>;
  onEnd?(report: Report): void | Promise<void>;
}
