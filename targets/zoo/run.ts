/**
 * Runs the conformance catalogue against every SP of the zoo and compares the verdicts with the
 * expected results checked in next to each SP:
 *
 *   npm run zoo                         # all four SPs, all four IdP profiles
 *   npm run zoo -- node-saml samlify    # some of them
 *   npm run zoo -- --grep '^saml\.'     # some cases (cases left out are not compared)
 *   npm run zoo -- --update             # rewrite expected.json from this run (keeps written reasons)
 *   npm run zoo -- --matrix             # also print the SP × case group matrix (targets/zoo/matrix.ts)
 *
 * Each SP is started by its own start.sh on free ports, then `idp-harness run --target` plays the
 * catalogue against it. Reports go to reports/zoo/<sp>.json. The last line counts the comparisons
 * (summaryLine). Exit code: 0 every verdict as expected; 1 a verdict differs; 2 an SP could not be
 * started or its packages are missing.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { CaseResult, Report, Status } from '../../harness/src/model.js';
import { formatMatrix } from './matrix.js';
import {
  IDPS,
  compare,
  fromResults,
  loadExpected,
  sortedCases,
  writeExpected,
  type Difference,
} from './expected.js';
import { ZOO, missingFor, spDir, zooSp, type ZooSp } from './sps.js';
import { startSp, type RunningSp } from './start-sp.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface ZooOptions {
  sps: ZooSp[];
  idps: string[];
  grep?: string;
  update: boolean;
  reportsDir: string;
  jobs: number;
  /** Print the SP × case group matrix after the run. */
  matrix?: boolean;
  log: (line: string) => void;
  /** Where an SP's expected results are (default: targets/<sp>/expected.json). */
  expectedFile?: (sp: ZooSp) => string;
}

export interface SpOutcome {
  sp: string;
  results: CaseResult[];
  differences: Difference[];
  /** Why the SP could not be run at all. */
  broken?: string;
}

/**
 * The SP's target file made to fit this run: the SP and the mock IdP on the ports the SP was
 * started on, and paths made absolute (the copy lives in a temporary directory). `{idp}` stays: the
 * harness fills it in for each IdP profile of the run.
 */
export function targetFileFor(sp: ZooSp, running: Pick<RunningSp, 'ports'>): string {
  const file = join(spDir(sp), 'target.yaml');
  const t = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const from = `127.0.0.1:${sp.defaultPorts.sp}`;
  const to = `127.0.0.1:${running.ports.sp}`;
  const fill = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replaceAll(from, to)
      : Array.isArray(v)
        ? v.map(fill)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
          : v;
  const out = fill(t) as { sp: Record<string, unknown>; idp?: Record<string, unknown> };
  out.idp = { ...out.idp, port: running.ports.idp };
  const cert = out.sp.signingCertFile;
  if (typeof cert === 'string' && !isAbsolute(cert)) out.sp.signingCertFile = resolve(dirname(file), cert);
  return toYaml(out);
}

function runHarness(args: string[], log: (line: string) => void): Promise<number> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'idp-harness.js'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stdout!.on('data', () => undefined);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', rej);
    child.once('exit', (code) => {
      if (code === 2 && err.trim()) log(err.trim());
      res(code ?? 2);
    });
  });
}

async function runSp(sp: ZooSp, o: ZooOptions): Promise<SpOutcome> {
  const log = (line: string) => o.log(`[${sp.name}] ${line}`);
  const missing = missingFor(sp);
  if (missing) return { sp: sp.name, results: [], differences: [], broken: missing };
  let running: RunningSp;
  try {
    running = await startSp(sp);
  } catch (e) {
    return { sp: sp.name, results: [], differences: [], broken: (e as Error).message };
  }
  log(`listening on ${running.url} (mock IdP on port ${running.ports.idp})`);
  const work = mkdtempSync(join(tmpdir(), `zoo-${sp.name}-`));
  const results: CaseResult[] = [];
  const started = Date.now();
  try {
    // One run for all the IdP profiles: the SP trusts the four tenants at once, and the harness
    // fills `{idp}` in for each.
    const target = join(work, 'target.yaml');
    writeFileSync(target, targetFileFor(sp, running));
    const json = join(work, 'report.json');
    const code = await runHarness(
      [
        'run',
        '--target',
        target,
        '--idp',
        o.idps.join(','),
        '--no-progress',
        '--reporter',
        `json=${json}`,
        '--reports-dir',
        join(o.reportsDir, sp.name),
        ...(o.grep ? ['--grep', o.grep] : []),
      ],
      log,
    );
    let report: Report;
    try {
      report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    } catch {
      return {
        sp: sp.name,
        results,
        differences: [],
        broken: `idp-harness exited ${code} with no report:\n${running.output()}`,
      };
    }
    results.push(...report.results);
    for (const idp of o.idps) log(`${idp}: ${counts(report.results.filter((r) => r.idp === idp))}`);
  } finally {
    await running.stop();
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync(o.reportsDir, { recursive: true });
  const report = {
    version: 1,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    target: sp.name,
    results,
  };
  writeFileSync(join(o.reportsDir, `${sp.name}.json`), JSON.stringify(report, null, 2));
  const expectedFile = o.expectedFile?.(sp) ?? join(spDir(sp), 'expected.json');
  if (o.update) {
    let previous;
    try {
      previous = loadExpected(expectedFile);
    } catch {
      previous = undefined;
    }
    const fresh = fromResults(sp.name, results, previous);
    // With --grep, the cases left out keep their expected verdicts.
    if (o.grep && previous) fresh.cases = sortedCases({ ...previous.cases, ...fresh.cases });
    writeExpected(expectedFile, fresh);
    log(`wrote ${expectedFile}`);
    return { sp: sp.name, results, differences: [] };
  }
  let expected;
  try {
    expected = loadExpected(expectedFile);
  } catch (e) {
    return { sp: sp.name, results, differences: [], broken: (e as Error).message };
  }
  const partial = Boolean(o.grep) || o.idps.length < IDPS.length;
  const differences = compare(expected, results, o.idps).filter((d) => !(partial && d.actual === 'absent'));
  return { sp: sp.name, results, differences };
}

const counts = (results: readonly CaseResult[]) => {
  const n = (s: Status) => results.filter((r) => r.status === s).length;
  return `${n('passed')} passed, ${n('failed')} failed, ${n('not-applicable')} not applicable, ${n('error')} errors`;
};

/** Runs the zoo, at most `jobs` SPs at a time. */
export async function runZoo(o: ZooOptions): Promise<SpOutcome[]> {
  const queue = [...o.sps];
  const outcomes: SpOutcome[] = [];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(o.jobs, queue.length)) }, async () => {
      for (let sp = queue.shift(); sp; sp = queue.shift()) outcomes.push(await runSp(sp, o));
    }),
  );
  return o.sps.map((sp) => outcomes.find((x) => x.sp === sp.name)!);
}

/** The exit code: 2 an SP could not run, 1 a verdict differs, else 0. */
export function exitCodeOf(outcomes: readonly SpOutcome[]): number {
  if (outcomes.some((x) => x.broken)) return 2;
  return outcomes.some((x) => x.differences.length) ? 1 : 0;
}

/**
 * The comparisons of a run: every SP × IdP × case verdict that matched its expected one, every
 * one that differed, and each SP that could not run at all.
 */
export function tallyOf(outcomes: readonly SpOutcome[]): {
  asExpected: number;
  differ: number;
  broken: number;
} {
  let asExpected = 0;
  let differ = 0;
  for (const x of outcomes) {
    if (x.broken) continue;
    differ += x.differences.length;
    asExpected += x.results.length - x.differences.filter((d) => d.actual !== 'absent').length;
  }
  return { asExpected, differ, broken: outcomes.filter((x) => x.broken).length };
}

/** The last line of a run, which .ci/run reads: `zoo: N as expected, N differ, N could not run`. */
export const summaryLine = (outcomes: readonly SpOutcome[]): string => {
  const t = tallyOf(outcomes);
  return `zoo: ${t.asExpected} as expected, ${t.differ} differ, ${t.broken} could not run`;
};

export function describeOutcomes(outcomes: readonly SpOutcome[]): string[] {
  const lines: string[] = [];
  for (const x of outcomes) {
    if (x.broken) {
      lines.push(`${x.sp}: could not run: ${x.broken}`);
      continue;
    }
    lines.push(`${x.sp}: ${counts(x.results)}; ${x.differences.length} differ from expected.json`);
    for (const d of x.differences)
      lines.push(
        `  ${d.case} [${d.idp}]: expected ${d.expected}, got ${d.actual}${d.message ? ` (${d.message.slice(0, 300)})` : ''}`,
      );
  }
  return lines;
}

function parseArgs(argv: string[]): ZooOptions {
  const o: ZooOptions = {
    sps: [],
    idps: [...IDPS],
    update: false,
    reportsDir: join(ROOT, 'reports', 'zoo'),
    jobs: 2,
    log: (line) => console.log(line),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--update') o.update = true;
    else if (a === '--grep') o.grep = value();
    else if (a === '--matrix') o.matrix = true;
    else if (a === '--idp') o.idps = value().split(',');
    else if (a === '--jobs') o.jobs = Number(value());
    else if (a === '--reports-dir') o.reportsDir = resolve(value());
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.sps.push(zooSp(a));
  }
  if (o.sps.length === 0) o.sps = [...ZOO];
  if (o.update && o.idps.length < IDPS.length)
    throw new Error('--update records all four IdP profiles: leave --idp out (--grep narrows the cases)');
  for (const idp of o.idps)
    if (!(IDPS as readonly string[]).includes(idp)) throw new Error(`unknown IdP profile ${idp}`);
  return o;
}

if (import.meta.filename === process.argv[1]) {
  let options: ZooOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`zoo: ${(e as Error).message}`);
    process.exit(2);
  }
  const outcomes = await runZoo(options);
  for (const line of describeOutcomes(outcomes)) console.log(line);
  if (options.matrix) console.log(formatMatrix(outcomes.filter((x) => !x.broken)));
  console.log(summaryLine(outcomes));
  process.exit(options.update ? (outcomes.some((x) => x.broken) ? 2 : 0) : exitCodeOf(outcomes));
}
