import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../errors.js';
import { summarize, type CaseResult, type Report } from '../model.js';
import { ReporterMultiplexer } from '../reporters/multiplexer.js';
import type { Reporter } from '../reporters/reporter.js';
import { resultKey } from './results.js';

export interface ShardFile {
  file: string;
  report: Report;
}

const fail = (message: string) => new HarnessError('ERR_MERGE_REPORTS', message);

/**
 * The shard reports in a directory: every *.json holding a version 1 report with a `shard`.
 * Other JSON files (a merged report from an earlier merge, bench figures) are passed over and
 * returned in `ignored`, so a merge can write its output into the same directory.
 */
export function readShardReports(dir: string): { shards: ShardFile[]; ignored: string[] } {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw fail(`${dir} is not a directory`);
  const shards: ShardFile[] = [];
  const ignored: string[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const file = join(dir, name);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw fail(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    const r = value as Partial<Report>;
    const isReport = r && typeof r === 'object' && Array.isArray(r.results) && r.summary !== undefined;
    if (!isReport || !r.shard || r.mergedFrom) {
      ignored.push(file);
      continue;
    }
    if (r.version !== 1)
      throw fail(`${file} has report version ${String(r.version)}; this harness reads version 1`);
    shards.push({ file, report: r as Report });
  }
  if (shards.length === 0) throw fail(`no shard reports (JSON reports written with --shard) in ${dir}`);
  return { shards, ignored };
}

/**
 * Merges the reports of shards 1/n … n/n into the report an unsharded run gives: the same
 * results in the same (plan) order and the same summary. Sharding deals the plan
 * round-robin, so plan position j is shard (j mod n) + 1's result number ⌊j / n⌋.
 * Missing, repeated or mismatched shards are refused, never merged into a partial verdict.
 */
export function mergeReports(shards: readonly ShardFile[]): Report {
  if (shards.length === 0) throw fail('nothing to merge');
  const total = shards[0]!.report.shard!.total;
  const byIndex = new Map<number, ShardFile>();
  for (const s of shards) {
    const sh = s.report.shard!;
    if (sh.total !== total)
      throw fail(
        `${s.file} is shard ${sh.current}/${sh.total}, but ${shards[0]!.file} is of ${total} shards`,
      );
    const other = byIndex.get(sh.current);
    if (other) throw fail(`shard ${sh.current}/${total} is in both ${other.file} and ${s.file}`);
    byIndex.set(sh.current, s);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw fail(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} missing`,
    );

  const count = [...byIndex.values()].reduce((a, s) => a + s.report.results.length, 0);
  for (let k = 1; k <= total; k++) {
    const expected = Math.max(0, Math.ceil((count - (k - 1)) / total));
    const s = byIndex.get(k)!;
    if (s.report.results.length !== expected)
      throw fail(
        `${s.file} (shard ${k}/${total}) has ${s.report.results.length} results where a round-robin split of ${count} gives ${expected}: were the shards run with the same scenarios and options?`,
      );
  }
  const results: CaseResult[] = [];
  const seen = new Map<string, string>();
  for (let j = 0; j < count; j++) {
    const s = byIndex.get((j % total) + 1)!;
    const r = s.report.results[Math.floor(j / total)]!;
    const key = resultKey(r);
    const dup = seen.get(key);
    if (dup) throw fail(`${key} is in both ${dup} and ${s.file}`);
    seen.set(key, s.file);
    results.push(r);
  }
  const starts = shards.map((s) => Date.parse(s.report.startedAt));
  const ends = shards.map((s, i) => starts[i]! + s.report.durationMs);
  const start = Math.min(...starts);
  const seeds = new Set(shards.map((s) => s.report.seed).filter(Boolean));
  return {
    version: 1,
    startedAt: new Date(start).toISOString(),
    durationMs: Math.max(...ends) - start,
    summary: summarize(results),
    results,
    ...(seeds.size === 1 ? { seed: [...seeds][0] } : {}),
    mergedFrom: { shards: total, files: [...byIndex.values()].map((s) => s.file) },
  };
}

/** Plays a finished report through reporters, as a run would have. */
export async function renderReport(
  report: Report,
  reporters: readonly Reporter[],
  target = 'merged shard reports',
): Promise<void> {
  const driver = [...new Set(report.results.map((r) => r.driver))].join('+') || 'no';
  const all = new ReporterMultiplexer(reporters);
  await all.onBegin({ total: report.results.length, driver, target });
  for (const [i, result] of report.results.entries()) {
    await all.onRunEnd(result, i + 1, report.results.length);
    await all.onResult(result);
  }
  await all.onEnd(report);
}
