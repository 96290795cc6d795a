import type { CaseResult, Report } from '../model.js';

/** A reporter is a plug-in over the one result model; every hook is optional. */
export interface Reporter {
  onBegin?(info: { total: number; driver: string; target: string }): void | Promise<void>;
  onResult?(result: CaseResult): void | Promise<void>;
  onEnd?(report: Report): void | Promise<void>;
}
