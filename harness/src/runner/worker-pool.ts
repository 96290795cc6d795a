import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HARNESS_ERROR_CODES, HarnessError, type HarnessErrorCode } from '../errors.js';
import type { CaseResult } from '../model.js';
import type { DriverId } from '../scenario/types.js';
import type { PlannedRun } from './plan.js';
import { errorResult } from './results.js';
import type { TargetSpec } from './target-spec.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export interface PoolOptions {
  workers: number;
  driver: DriverId;
  stepTimeoutMs: number;
  runTimeoutMs: number;
  reportsDir: string;
  targetSpec: TargetSpec;
  seed?: string;
  onResult(index: number, result: CaseResult): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** tsx's ESM loader, by file URL, so that workers load it whatever their working directory. */
const TSX_LOADER = (() => {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('tsx/package.json');
  const pkg = require(pkgFile) as { exports?: Record<string, unknown> | string };
  const entry = typeof pkg.exports === 'string' ? pkg.exports : (pkg.exports?.['.'] as string | undefined);
  return pathToFileURL(join(dirname(pkgFile), typeof entry === 'string' ? entry : 'dist/loader.mjs')).href;
})();
/** How much of a crashed worker's stderr its error results quote. */
const STDERR_TAIL = 600;

/**
 * V8 heap limits of a worker process, per driver, in MB. Without them each worker's heap grows
 * lazily over a long run (to ~340 MB for the bundled suite); with them it stays near 190 MB RSS.
 * A worker that runs out is reported ERR_WORKER_CRASHED ("heap out of memory") and replaced.
 */
export const WORKER_HEAP_MB: Record<DriverId, { old: number; semi: number }> = {
  http: { old: 64, semi: 1 },
  browser: { old: 192, semi: 2 },
};

type Outcome =
  { kind: 'result'; result: CaseResult } | { kind: 'crashed'; detail: string } | { kind: 'timeout' };

/** One worker process. Its events resolve whatever the parent is waiting for. */
class WorkerProcess {
  private stderr = '';
  private waiting: ((m: FromWorker | { type: 'exit'; detail: string }) => void) | undefined;
  private exited: string | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-STDERR_TAIL);
    });
    child.on('message', (m: FromWorker) => this.waiting?.(m));
    child.on('exit', (code, signal) => {
      this.exited = signal ? `signal ${signal}` : `exit code ${code}`;
      const tail = this.stderr.trim();
      this.waiting?.({ type: 'exit', detail: `${this.exited}${tail ? `; stderr: ${tail}` : ''}` });
    });
  }

  static async start(init: Extract<ToWorker, { type: 'init' }>): Promise<WorkerProcess> {
    const heap = WORKER_HEAP_MB[init.driver];
    const child = fork(WORKER_FILE, [], {
      execArgv: [
        '--import',
        TSX_LOADER,
        `--max-old-space-size=${heap.old}`,
        `--max-semi-space-size=${heap.semi}`,
      ],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      // Fewer malloc arenas: the native parts (SQLite, HTTP) need no per-thread arenas here.
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
    });
    const w = new WorkerProcess(child);
    const first = await w.next(() => child.send(init));
    if (first.type === 'fatal') {
      w.kill();
      const code = (first.code in HARNESS_ERROR_CODES ? first.code : 'ERR_INTERNAL') as HarnessErrorCode;
      throw new HarnessError(code, `a worker could not start: ${first.message}`);
    }
    if (first.type !== 'ready') {
      throw new HarnessError(
        'ERR_WORKER_CRASHED',
        `a worker process exited while starting (${'detail' in first ? first.detail : first.type})`,
      );
    }
    return w;
  }

  private next(
    send: () => void,
    timeoutMs?: number,
  ): Promise<FromWorker | { type: 'exit'; detail: string } | { type: 'timeout' }> {
    return new Promise((resolve) => {
      if (this.exited) return resolve({ type: 'exit', detail: this.exited });
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs) timer = setTimeout(() => resolve({ type: 'timeout' }), timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(m);
      };
      send();
    });
  }

  async run(index: number, run: PlannedRun, timeoutMs: number): Promise<Outcome> {
    const m = await this.next(
      () => this.child.send({ type: 'run', index, run } satisfies ToWorker),
      timeoutMs,
    );
    if (m.type === 'result') return { kind: 'result', result: m.result };
    if (m.type === 'timeout') return { kind: 'timeout' };
    if (m.type === 'exit') return { kind: 'crashed', detail: m.detail };
    return { kind: 'crashed', detail: m.type === 'fatal' ? `${m.code}: ${m.message}` : m.type };
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ type: 'stop' } satisfies ToWorker);
    const timer = setTimeout(() => this.kill(), 5000);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * Runs the given plan indices in `workers` child processes, each owning its own mock IdP,
 * SPs and driver, so the CPU-bound work (signing, verifying, SQLite) really runs in parallel.
 * A worker that crashes or overruns the run timeout costs only its current case, which is
 * reported as an `error`; a fresh worker takes over the rest of its queue.
 */
export async function runInWorkers(
  runs: readonly PlannedRun[],
  indices: readonly number[],
  opts: PoolOptions,
): Promise<void> {
  const queue = [...indices];
  const init: Extract<ToWorker, { type: 'init' }> = {
    type: 'init',
    driver: opts.driver,
    stepTimeoutMs: opts.stepTimeoutMs,
    reportsDir: opts.reportsDir,
    targetSpec: opts.targetSpec,
    ...(opts.seed ? { seed: opts.seed } : {}),
  };
  const live = new Set<WorkerProcess>();
  const slot = async () => {
    while (queue.length) {
      const w = await WorkerProcess.start(init);
      live.add(w);
      try {
        while (queue.length) {
          const i = queue.shift()!;
          const t0 = Date.now();
          const outcome = await w.run(i, runs[i]!, opts.runTimeoutMs);
          if (outcome.kind === 'result') {
            await opts.onResult(i, outcome.result);
            continue;
          }
          w.kill();
          await opts.onResult(
            i,
            outcome.kind === 'timeout'
              ? errorResult(
                  runs[i]!,
                  'ERR_RUN_TIMEOUT',
                  `the case did not finish within the run timeout of ${opts.runTimeoutMs} ms; its worker was stopped`,
                  Date.now() - t0,
                )
              : errorResult(
                  runs[i]!,
                  'ERR_WORKER_CRASHED',
                  `the worker process running the case exited (${outcome.detail})`,
                  Date.now() - t0,
                ),
          );
          break;
        }
      } finally {
        live.delete(w);
        await w.stop();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.workers, queue.length) }, slot));
  } finally {
    for (const w of live) w.kill();
  }
}
