import { BrowserDriverFactory } from '../drivers/browser-driver.js';
import type { DriverFactory } from '../drivers/driver.js';
import { HttpDriverFactory } from '../drivers/http-driver.js';
import { EmbeddedTarget } from '../env/embedded-target.js';
import { MockIdp } from '../env/idp.js';
import type { Target } from '../env/target.js';
import { summarize, type CaseResult, type Report } from '../model.js';
import type { Reporter } from '../reporters/reporter.js';
import type { DriverId } from '../scenario/types.js';
import type { PlannedRun } from './plan.js';
import { runCase } from './run-case.js';

export interface SuiteOptions {
  driver: DriverId;
  workers: number;
  stepTimeoutMs: number;
  reportsDir: string;
  reporters: Reporter[];
  target?: Target;
  shard?: { current: number; total: number };
}

/** Runs planned cells with up to `workers` at a time, streaming each result to the reporters in plan order. */
export async function runSuite(runs: readonly PlannedRun[], opts: SuiteOptions): Promise<Report> {
  const startedAt = new Date();
  const target = opts.target ?? new EmbeddedTarget();
  const drivers: DriverFactory =
    opts.driver === 'browser' ? new BrowserDriverFactory() : new HttpDriverFactory();
  const idp = await MockIdp.start();
  for (const r of opts.reporters)
    await r.onBegin?.({ total: runs.length, driver: opts.driver, target: target.description });
  const results: (CaseResult | undefined)[] = new Array(runs.length);
  let emitted = 0;
  const emitReady = async () => {
    while (emitted < runs.length && results[emitted]) {
      for (const r of opts.reporters) await r.onResult?.(results[emitted]!);
      emitted++;
    }
  };
  try {
    let next = 0;
    const worker = async () => {
      while (next < runs.length) {
        const i = next++;
        results[i] = await runCase(runs[i]!, {
          idp,
          target,
          drivers,
          stepTimeoutMs: opts.stepTimeoutMs,
          reportsDir: opts.reportsDir,
        });
        await emitReady();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.workers, runs.length)) }, worker));
  } finally {
    await drivers.close().catch(() => undefined);
    await idp.close().catch(() => undefined);
    await target.close().catch(() => undefined);
  }
  const all = results as CaseResult[];
  const report: Report = {
    version: 1,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    summary: summarize(all),
    results: all,
    ...(opts.shard ? { shard: opts.shard } : {}),
  };
  for (const r of opts.reporters) await r.onEnd?.(report);
  return report;
}
