import type { CaseResult } from '../model.js';
import type { DriverId } from '../scenario/types.js';
import type { PlannedRun } from './plan.js';
import type { TargetSpec } from './target-spec.js';

/** Messages between the runner and its worker processes (over the Node IPC channel). */
export type ToWorker =
  | {
      type: 'init';
      driver: DriverId;
      stepTimeoutMs: number;
      reportsDir: string;
      targetSpec: TargetSpec;
      seed?: string;
    }
  | { type: 'run'; index: number; run: PlannedRun }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; index: number; result: CaseResult }
  | { type: 'fatal'; code: string; message: string };
