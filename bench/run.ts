/**
 * Runs the benchmarks in bench/*.bench.ts and writes reports/bench.json as
 * `{ "B1": { "value": …, "goal": …, "unit": … }, … }`. Arguments pick figure IDs
 * (`npm run bench -- B1 B5`); figures not run this time keep their last values in the file.
 *
 * Each bench file runs in a process of its own (this script, started again with `--file`), so
 * that what one bench leaves behind (threads, sockets, a grown heap) cannot slow the next one. A
 * file with none of the wanted figures measures nothing there.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { meets, type BenchModule, type Figure } from './figures.js';

const dir = import.meta.dirname;
const out = join(dir, '..', 'reports', 'bench.json');
const RESULT_LINE = 'bench-result ';

/** In the child: measures the wanted figures of one file, reporting each as one JSON line. */
async function runFile(file: string, wanted: Set<string>): Promise<void> {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
  for (const [id, measure] of Object.entries(mod.figures)) {
    if (wanted.size && !wanted.has(id)) continue;
    process.stdout.write(`${RESULT_LINE}${JSON.stringify({ id, figure: await measure() })}\n`);
  }
}

/** In the parent: runs one bench file in a child process and hands back its figures as they come. */
function spawnFile(file: string, wanted: string[], onFigure: (id: string, f: Figure) => void): Promise<void> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, import.meta.filename, '--file', file, ...wanted],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith(RESULT_LINE)) {
        const { id, figure } = JSON.parse(line.slice(RESULT_LINE.length)) as { id: string; figure: Figure };
        onFigure(id, figure);
      } else if (line) process.stdout.write(`${line}\n`);
    }
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited ${code}`)))),
  );
}

/** The commit the work tree is at, and whether it has changes beyond it; `unknown` outside git. */
function provenance(): { commit: string; uncommittedChanges?: true } {
  const git = (...a: string[]) =>
    execFileSync('git', a, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no')
      ? { commit, uncommittedChanges: true }
      : { commit };
  } catch {
    return { commit: 'unknown' };
  }
}

const args = process.argv.slice(2);
if (args[0] === '--file') {
  await runFile(args[1]!, new Set(args.slice(2)));
} else {
  const wanted = args.map((s) => s.toUpperCase());
  const previous: Record<string, Figure> = existsSync(out)
    ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, Figure>)
    : {};
  const results: Record<string, Figure> = { ...previous };
  const measuredOn = provenance();
  let failed = false;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()) {
    await spawnFile(file, wanted, (id, f) => {
      results[id] = { ...f, ...measuredOn, measuredAt: new Date().toISOString() };
      const ok = meets(f);
      failed ||= !ok;
      process.stdout.write(
        `${id} (${file}) … ${f.value} ${f.unit} (goal ${f.direction} ${f.goal}) ${ok ? 'met' : 'NOT met'}\n`,
      );
    });
  }
  mkdirSync(join(dir, '..', 'reports'), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b))),
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${out}`);
  process.exitCode = failed ? 1 : 0;
}
