/**
 * B4: wall time of the whole bundled suite (every case × 4 IdPs) through the CLI, with the http
 * driver on all cores, and how it scales: half the plan (--shard 1/2) should take half the time
 * (linear in cases), and one worker should take about twice as long as two (parallel over
 * --workers). The browser driver runs the whole plan too, in Chromium.
 * B6: peak resident memory of a full http run, summed over the whole process tree (the CLI with
 * its worker threads, and every mock IdP and reference SP they run; worker processes too with
 * --isolation process), sampled from /proc.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../harness/src/model.js';
import type { Figure } from './figures.js';

const ROOT = join(import.meta.dirname, '..');
const PAGE = 4096;
/** RSS is sampled every SAMPLE_MS; PSS, which costs the kernel far more to read, every PSS_EVERY samples. */
const SAMPLE_MS = 100;
const PSS_EVERY = 10;
const GNU_TIME = '/usr/bin/time';

/** Proportional set size: private pages, plus shared ones (the node binary) divided among their users. */
function pssOf(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** RSS and PSS in bytes of `root` and all its descendants, from /proc. */
function treeMemory(root: number, withPss: boolean): { rss: number; pss: number } {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const pid = Number(name);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended while we looked.
    }
  }
  // Memory is read only for the tree, and PSS only when asked: smaps_rollup makes the kernel walk
  // every page table of the process, which would itself load the run being measured.
  const total = { rss: 0, pss: 0 };
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      total.rss += Number(readFileSync(`/proc/${p}/statm`, 'utf8').split(' ')[1]) * PAGE;
      if (withPss) total.pss += pssOf(p);
    } catch {
      // The process ended while we looked.
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

interface SuiteRun {
  wallMs: number;
  /** Peak of the summed RSS of the tree (counts the shared node binary once per process). */
  peakRssBytes: number;
  /** Peak of the summed PSS of the tree (shared pages counted once overall). */
  peakPssBytes: number;
  report: Report;
}

/** Runs the CLI as a person would, timing it and sampling its process tree's memory. */
async function runSuite(args: string[]): Promise<SuiteRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-b4-'));
  const out = join(dir, 'report.json');
  const t0 = performance.now();
  const cli = [
    process.execPath,
    join(ROOT, 'bin/idp-harness.js'),
    'run',
    '--reporter',
    `json=${out}`,
    '--no-progress',
    '--reports-dir',
    dir,
    ...args,
  ];
  // GNU time, when there, adds the kernel's exact peak RSS of the largest process (the CLI).
  const [cmd, ...argv] = existsSync(GNU_TIME) ? [GNU_TIME, '-f', 'maxrss-kb=%M', ...cli] : cli;
  const child = spawn(cmd!, argv, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  let peakPss = 0;
  let tick = 0;
  const sampler = setInterval(() => {
    const m = treeMemory(child.pid!, tick++ % PSS_EVERY === 0);
    peak = Math.max(peak, m.rss);
    peakPss = Math.max(peakPss, m.pss);
  }, SAMPLE_MS);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearInterval(sampler);
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`idp-harness run ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
  const exact = /maxrss-kb=(\d+)/.exec(stderr);
  if (exact) peak = Math.max(peak, Number(exact[1]) * 1024);
  return {
    wallMs,
    peakRssBytes: peak,
    peakPssBytes: peakPss,
    report: JSON.parse(readFileSync(out, 'utf8')) as Report,
  };
}

const ran = (r: Report) => r.results.filter((x) => x.status !== 'not-applicable').length;
const cores = availableParallelism();
const workers = String(Math.min(4, cores));

/** What every suite figure reports about the run it measured. */
const runDetails = (run: SuiteRun) => ({
  cores,
  workers: Number(workers),
  caseRuns: run.report.results.length,
  executedRuns: ran(run.report),
  runsPerSecond: Number((ran(run.report) / (run.wallMs / 1000)).toFixed(2)),
});

let full: SuiteRun | undefined;
const fullRun = async () => (full ??= await runSuite(['--workers', workers]));

export const figures: Record<string, () => Promise<Figure>> = {
  async B4() {
    const whole = await fullRun();
    const half = await runSuite(['--workers', workers, '--shard', '1/2']);
    const halfOneWorker = await runSuite(['--workers', '1', '--shard', '1/2']);
    const s = whole.wallMs / 1000;
    return {
      value: Number(s.toFixed(1)),
      goal: 15,
      unit: 's (whole bundled suite, http driver)',
      direction: '<=',
      details: {
        ...runDetails(whole),
        cases: new Set(whole.report.results.map((r) => r.case)).size,
        halfPlanSeconds: Number((half.wallMs / 1000).toFixed(1)),
        // 1.0 is perfectly linear in the number of runs: the whole plan takes twice the half.
        linearity: Number((whole.wallMs / (2 * half.wallMs)).toFixed(2)),
        halfPlanOneWorkerSeconds: Number((halfOneWorker.wallMs / 1000).toFixed(1)),
        speedupOverOneWorker: Number((halfOneWorker.wallMs / half.wallMs).toFixed(2)),
        summary: whole.report.summary,
      },
    };
  },

  async 'B4-BROWSER'() {
    const whole = await runSuite(['--driver', 'browser', '--workers', workers]);
    const s = whole.wallMs / 1000;
    const browserRuns = whole.report.results.filter((r) =>
      r.steps.some((step) => step.evidence.screenshot !== undefined),
    ).length;
    return {
      value: Number(s.toFixed(1)),
      goal: 120,
      unit: 's (whole bundled suite, browser driver)',
      direction: '<=',
      details: {
        ...runDetails(whole),
        // Runs that drove Chromium (every run with a sign-in); the others only speak SCIM.
        runsInChromium: browserRuns,
        peakRssMB: Math.round(whole.peakRssBytes / 2 ** 20),
        peakPssMB: Math.round(whole.peakPssBytes / 2 ** 20),
        summary: whole.report.summary,
      },
    };
  },

  async B6() {
    const whole = await fullRun();
    return {
      value: Math.round(whole.peakRssBytes / 2 ** 20),
      goal: 300,
      unit: 'MB peak RSS, summed over the process tree (CLI + workers with their IdPs and SPs), full http run',
      direction: '<=',
      details: {
        ...runDetails(whole),
        sampledEveryMs: SAMPLE_MS,
        pssSampledEveryMs: SAMPLE_MS * PSS_EVERY,
        // The summed RSS counts pages shared between the processes (the node binary, tsx) once per
        // process; PSS divides them among their users, so it is what the tree really occupies.
        peakPssMB: Math.round(whole.peakPssBytes / 2 ** 20),
      },
    };
  },
};
