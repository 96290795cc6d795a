/**
 * Runs the benchmarks in bench/*.bench.ts and writes reports/bench.json as
 * `{ "B1": { "value": …, "goal": …, "unit": … }, … }`. Arguments pick figure IDs
 * (`npm run bench -- B1 B5`); figures not run this time keep their last values in the file.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { meets, type BenchModule, type Figure } from './figures.js';

const dir = import.meta.dirname;
const out = join(dir, '..', 'reports', 'bench.json');
const wanted = new Set(process.argv.slice(2).map((s) => s.toUpperCase()));

const previous: Record<string, Figure> = existsSync(out)
  ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, Figure>)
  : {};
const results: Record<string, Figure> = { ...previous };
let failed = false;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
  for (const [id, measure] of Object.entries(mod.figures)) {
    if (wanted.size && !wanted.has(id)) continue;
    process.stdout.write(`${id} (${file}) … `);
    const f = await measure();
    results[id] = f;
    const ok = meets(f);
    failed ||= !ok;
    process.stdout.write(`${f.value} ${f.unit} (goal ${f.direction} ${f.goal}) ${ok ? 'met' : 'NOT met'}\n`);
  }
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
