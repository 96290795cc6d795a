import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
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
  isolation: WorkerIsolation;
  driver: DriverId;
  stepTimeoutMs: number;
  runTimeoutMs: number;
  reportsDir: string;
  targetSpec: TargetSpec;
  seed?: string;
  onResult(index: number, result: CaseResult): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));
const BOOT_FILE = new URL('./worker-boot.mjs', import.meta.url);
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
 * V8 heap limits of a worker, per driver, in MB. Without them each worker's heap grows lazily
 * over a long run (to ~340 MB for the bundled suite). Too tight costs more than it saves: a worker
 * holds 40–60 MB of live heap (compiled code and module sources), and with a 64 MB old space and
 * 1 MB semi-spaces it spent a third of its time collecting garbage. These limits keep the
 * bundled http run near 22 s and under 400 MB for the whole process.
 * A worker that runs out is reported ERR_WORKER_CRASHED ("heap out of memory") and replaced.
 */
export const WORKER_HEAP_MB: Record<DriverId, { old: number; semi: number }> = {
  http: { old: 128, semi: 4 },
  browser: { old: 192, semi: 2 },
};

type Outcome =
  { kind: 'result'; result: CaseResult } | { kind: 'crashed'; detail: string } | { kind: 'timeout' };

/** How a worker runs: its own process (full isolation, even from native crashes) or a thread of this one (lighter). */
export type WorkerIsolation = 'process' | 'thread';

/** The two ends a worker needs, whatever runs it. */
interface Channel {
  send(m: ToWorker): void;
  onMessage(cb: (m: FromWorker) => void): void;
  /** Called once when the worker ends, with how. */
  onExit(cb: (detail: string) => void): void;
  kill(): void;
}

function processChannel(heap: { old: number; semi: number }): Channel {
  const child: ChildProcess = fork(WORKER_FILE, [], {
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
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)));
  return {
    send: (m) => void child.send(m),
    onMessage: (cb) => void child.on('message', cb),
    onExit: (cb) =>
      void child.on('exit', (code, signal) => {
        const tail = stderr.trim();
        cb(`${signal ? `signal ${signal}` : `exit code ${code}`}${tail ? `; stderr: ${tail}` : ''}`);
      }),
    kill: () => void child.kill('SIGKILL'),
  };
}

function threadChannel(heap: { old: number; semi: number }): Channel {
  const worker = new Worker(BOOT_FILE, {
    resourceLimits: { maxOldGenerationSizeMb: heap.old, maxYoungGenerationSizeMb: heap.semi * 3 },
    stdout: true,
    stderr: true,
  });
  let stderr = '';
  let error = '';
  worker.stdout.resume();
  worker.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)));
  worker.on('error', (e: Error & { code?: string }) => (error = `${e.code ?? e.name}: ${e.message}`));
  return {
    send: (m) => worker.postMessage(m),
    onMessage: (cb) => void worker.on('message', cb),
    onExit: (cb) =>
      void worker.on('exit', (code) => {
        const tail = [error, stderr.trim()].filter(Boolean).join('; ');
        cb(`thread exit code ${code}${tail ? `; ${tail}` : ''}`);
      }),
    kill: () => void worker.terminate(),
  };
}

/** One worker. Its events resolve whatever the runner is waiting for. */
class WorkerProcess {
  private waiting: ((m: FromWorker | { type: 'exit'; detail: string }) => void) | undefined;
  private exited: string | undefined;
  private readonly gone: Promise<void>;

  private constructor(private readonly channel: Channel) {
    channel.onMessage((m) => this.waiting?.(m));
    this.gone = new Promise((resolve) =>
      channel.onExit((detail) => {
        this.exited = detail;
        this.waiting?.({ type: 'exit', detail });
        resolve();
      }),
    );
  }

  static async start(
    init: Extract<ToWorker, { type: 'init' }>,
    isolation: WorkerIsolation,
  ): Promise<WorkerProcess> {
    const heap = WORKER_HEAP_MB[init.driver];
    const w = new WorkerProcess(isolation === 'thread' ? threadChannel(heap) : processChannel(heap));
    const first = await w.next(() => w.channel.send(init));
    if (first.type === 'fatal') {
      w.kill();
      const code = (first.code in HARNESS_ERROR_CODES ? first.code : 'ERR_INTERNAL') as HarnessErrorCode;
      throw new HarnessError(code, `a worker could not start: ${first.message}`);
    }
    if (first.type !== 'ready') {
      throw new HarnessError(
        'ERR_WORKER_CRASHED',
        `a worker exited while starting (${'detail' in first ? first.detail : first.type})`,
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
    const m = await this.next(() => this.channel.send({ type: 'run', index, run }), timeoutMs);
    if (m.type === 'result') return { kind: 'result', result: m.result };
    if (m.type === 'timeout') return { kind: 'timeout' };
    if (m.type === 'exit') return { kind: 'crashed', detail: m.detail };
    return { kind: 'crashed', detail: m.type === 'fatal' ? `${m.code}: ${m.message}` : m.type };
  }

  kill(): void {
    if (!this.exited) this.channel.kill();
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.channel.send({ type: 'stop' });
    const timer = setTimeout(() => this.kill(), 5000);
    await this.gone;
    clearTimeout(timer);
  }
}

/**
 * Runs the given plan indices in `workers` worker threads or processes, each owning its own mock
 * IdP, SPs and driver, so the CPU-bound work (signing, verifying, SQLite) really runs in parallel.
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
      const w = await WorkerProcess.start(init, opts.isolation);
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
