import type { DriverFactory } from '../drivers/driver.js';
import type { MockIdp } from '../env/idp.js';
import type { Target } from '../env/target.js';
import { summarize, type CaseResult, type Report } from '../model.js';
import { ReporterMultiplexer } from '../reporters/multiplexer.js';
import type { Reporter } from '../reporters/reporter.js';
import type { DriverId } from '../scenario/types.js';
import type { PlannedRun } from './plan.js';
import { baseResult, errorResult } from './results.js';
import { createDriverFactory } from './driver-factory.js';
import { withTargetVerdicts } from './applicability.js';
import { checkTargetReachable } from './preflight.js';
import {
  capabilitiesOfSpec,
  createTarget,
  describeTargetSpec,
  sharesState,
  type TargetSpec,
} from './target-spec.js';
import { runInWorkers, type WorkerIsolation } from './worker-pool.js';

/** Every default of a suite run, in one place. */
export const SUITE_DEFAULTS = {
  workers: 1,
  /** Each step's timeout. */
  stepTimeoutMs: 30_000,
  /** A whole case run's timeout: past it the run is an `error` and (with worker processes) its worker is replaced. */
  runTimeoutMs: 180_000,
  reportsDir: 'reports',
  /**
   * Below this many runs, `workers` > 1 runs concurrently in this process instead of in worker
   * processes: starting a worker (loading the SP, the IdP and the drivers) costs more than
   * a few runs take.
   */
  minRunsForProcesses: 8,
  /** Worker threads share this process's runtime and loaded code pages; processes cost a Node each. */
  isolation: 'thread' as WorkerIsolation,
};

export interface SuiteOptions {
  driver: DriverId;
  /** Case runs at once. Above 1, with a serializable target, each worker is its own process. */
  workers?: number;
  stepTimeoutMs?: number;
  runTimeoutMs?: number;
  reportsDir?: string;
  reporters: Reporter[];
  /** A ready Target object; runs in this process. */
  target?: Target;
  /** A target described by data (embedded, or an external target file); worker processes build their own. */
  targetSpec?: TargetSpec;
  /** Makes run IDs (tenant names, screenshot names) repeatable; recorded in the report. */
  seed?: string;
  /** Force workers (true) or concurrency in this thread (false); default: workers when workers > 1. */
  processes?: boolean;
  /** Workers as threads of this process (lighter) or as processes (isolated even from native crashes). */
  isolation?: WorkerIsolation;
  shard?: { current: number; total: number };
}

/** Runs a promise against a deadline; the late promise is abandoned (its errors swallowed). */
async function within<T>(ms: number, work: Promise<T>, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs planned cells with up to `workers` at a time. Each result goes to `onRunEnd` as soon as
 * it ends and to `onResult` in plan order, so output does not depend on the number of workers.
 */
export async function runSuite(planned: readonly PlannedRun[], opts: SuiteOptions): Promise<Report> {
  const o = {
    ...SUITE_DEFAULTS,
    ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
  } as typeof SUITE_DEFAULTS & SuiteOptions;
  if (!Number.isInteger(o.workers) || o.workers < 1)
    throw new TypeError('workers must be a positive integer');
  if (o.target && o.targetSpec) throw new TypeError('give either target or targetSpec, not both');
  const startedAt = new Date();
  const spec: TargetSpec = o.targetSpec ?? { kind: 'embedded' };
  const description = o.target?.description ?? describeTargetSpec(spec);
  const runs = withTargetVerdicts(planned, o.target ? o.target.capabilities : capabilitiesOfSpec(spec));
  if (!o.target && spec.kind === 'external' && runs.some((r) => !r.verdict))
    await checkTargetReachable(spec.config, [...new Set(runs.filter((r) => !r.verdict).map((r) => r.idp))]);
  const serial = sharesState(spec) || Boolean(o.target?.sharedState);
  const workers = serial ? 1 : Math.max(1, Math.min(o.workers, runs.filter((r) => !r.verdict).length || 1));
  const reporters = new ReporterMultiplexer(o.reporters);
  await reporters.onBegin({
    total: runs.length,
    driver: o.driver,
    target: description,
    workers,
    shard: o.shard,
  });

  const results: (CaseResult | undefined)[] = new Array(runs.length);
  let emitted = 0;
  let done = 0;
  // Reporter calls are chained so that they never interleave.
  let chain = Promise.resolve();
  const record = (i: number, result: CaseResult) => {
    results[i] = result;
    done++;
    const n = done;
    chain = chain.then(async () => {
      while (emitted < runs.length && results[emitted]) {
        await reporters.onResult(results[emitted]!);
        emitted++;
      }
      await reporters.onRunEnd(result, n, runs.length);
    });
    return chain;
  };

  // Runs decided by the plan (not applicable, skipped) need no worker.
  const toRun: number[] = [];
  for (const [i, run] of runs.entries()) {
    if (run.verdict)
      await record(i, {
        ...baseResult(run),
        status: run.verdict.status,
        durationMs: 0,
        steps: [],
        message: run.verdict.reason,
      });
    else toRun.push(i);
  }

  const useProcesses =
    !o.target && !serial && (o.processes ?? (workers > 1 && toRun.length >= o.minRunsForProcesses));
  if (useProcesses && toRun.length) {
    await runInWorkers(runs, toRun, {
      workers,
      isolation: o.isolation,
      driver: o.driver,
      stepTimeoutMs: o.stepTimeoutMs,
      runTimeoutMs: o.runTimeoutMs,
      reportsDir: o.reportsDir,
      targetSpec: spec,
      seed: o.seed,
      onResult: (i, r) => record(i, r),
    });
  } else if (toRun.length) {
    const target = o.target ?? (await createTarget(spec));
    const drivers: DriverFactory = await createDriverFactory(o.driver);
    let idp: MockIdp | undefined;
    try {
      // Loaded here, not at the top: with worker processes the CLI itself never needs the IdP or SP code.
      const [{ MockIdp }, { runCase }] = await Promise.all([
        import('../env/idp.js'),
        import('./run-case.js'),
      ]);
      idp = await MockIdp.start(target.idpListen?.());
      let next = 0;
      const worker = async () => {
        while (next < toRun.length) {
          const i = toRun[next++]!;
          const run = runs[i]!;
          const t0 = Date.now();
          const result = await within(
            o.runTimeoutMs,
            runCase(run, {
              idp: idp!,
              target,
              drivers,
              stepTimeoutMs: o.stepTimeoutMs,
              reportsDir: o.reportsDir,
              seed: o.seed,
            }),
            () =>
              errorResult(
                run,
                'ERR_RUN_TIMEOUT',
                `the case did not finish within the run timeout of ${o.runTimeoutMs} ms`,
                Date.now() - t0,
              ),
          );
          await record(i, result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(workers, toRun.length) }, worker));
    } finally {
      await drivers.close().catch(() => undefined);
      await idp?.close().catch(() => undefined);
      if (!o.target) await target.close().catch(() => undefined);
    }
  }
  await chain;

  const all = results as CaseResult[];
  const report: Report = {
    version: 1,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    summary: summarize(all),
    results: all,
    ...(o.shard ? { shard: o.shard } : {}),
    ...(o.seed ? { seed: o.seed } : {}),
  };
  await reporters.onEnd(report);
  return report;
}
