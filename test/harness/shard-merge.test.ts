import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/src/cli.js';
import type { CaseResult, Report } from '../../harness/src/model.js';
import { JsonReporter } from '../../harness/src/reporters/json.js';
import { mergeReports, readShardReports } from '../../harness/src/runner/merge.js';
import { plan } from '../../harness/src/runner/plan.js';
import { resultKey } from '../../harness/src/runner/results.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { ROOT } from '../helpers/world.js';

const PATHS = [join(ROOT, 'scenarios/jit/new-user.yaml'), join(ROOT, 'test/harness/fixtures/suite')];

/** What must match between runs: the result set keyed by case|idp|driver|variant, without timings or run-specific values. */
function comparable(report: Report) {
  const strip = (r: CaseResult) => ({
    key: resultKey(r),
    status: r.status,
    scenario: r.scenario,
    requirements: r.requirements,
    steps: r.steps.map((s) => ({ name: s.name, status: s.status, code: s.code })),
  });
  return { summary: report.summary, results: report.results.map(strip) };
}

async function run(dir: string, shard?: { current: number; total: number }): Promise<Report> {
  const runs = plan(loadScenarios(PATHS), {
    idps: ['okta', 'onelogin', 'entra', 'google'],
    driver: 'http',
    shard,
  });
  const file = join(dir, shard ? `shard-${shard.current}-of-${shard.total}.json` : 'whole.json');
  return runSuite(runs, {
    driver: 'http',
    workers: 2,
    reportsDir: dir,
    reporters: [new JsonReporter(file)],
    seed: 'shard-test',
    ...(shard ? { shard } : {}),
  });
}

describe('harness: --shard and merge-reports', function () {
  this.timeout(120_000);
  const shardDir = mkdtempSync(join(tmpdir(), 'harness-shards-'));
  const wholeDir = mkdtempSync(join(tmpdir(), 'harness-whole-'));
  let whole: Report;

  before(async () => {
    whole = await run(wholeDir);
    for (const current of [1, 2, 3]) await run(shardDir, { current, total: 3 });
  });

  it('runs each planned cell in exactly one of the shards', () => {
    const { shards } = readShardReports(shardDir);
    const keys = shards.flatMap((s) => s.report.results.map(resultKey));
    expect(shards.map((s) => s.report.results.length)).to.deep.equal([4, 4, 4]);
    expect(new Set(keys).size).to.equal(keys.length);
    expect([...keys].sort()).to.deep.equal(whole.results.map(resultKey).sort());
  });

  it('merge-reports gives the summary and result set of the unsharded run, in plan order, and exits as it would', async () => {
    expect(whole.summary).to.include({ passed: 7, failed: 4, skipped: 0, errors: 0, notApplicable: 1 });
    const out = join(mkdtempSync(join(tmpdir(), 'harness-merged-')), 'merged.json');
    const code = await main([
      'merge-reports',
      shardDir,
      '--reporter',
      `json=${out}`,
      '--reporter',
      `junit=${out}.xml`,
    ]);
    expect(code).to.equal(1);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(comparable(merged)).to.deep.equal(comparable(whole));
    expect(merged.results.map(resultKey)).to.deep.equal(whole.results.map(resultKey));
    expect(merged.mergedFrom?.shards).to.equal(3);
    expect(merged.seed).to.equal('shard-test');
    expect(readFileSync(`${out}.xml`, 'utf8').match(/<testcase /g)).to.have.length(12);
  });

  it('a merged report written next to the shards is passed over by the next merge', async () => {
    const code = await main([
      'merge-reports',
      shardDir,
      '--reporter',
      `json=${join(shardDir, 'merged.json')}`,
    ]);
    expect(code).to.equal(1);
    const again = readShardReports(shardDir);
    expect(again.shards).to.have.length(3);
    expect(again.ignored.map((f) => f.endsWith('merged.json'))).to.deep.equal([true]);
  });

  it('refuses a missing, repeated or foreign shard with ERR_MERGE_REPORTS', () => {
    const { shards } = readShardReports(shardDir);
    const fail = (s: typeof shards) => {
      try {
        mergeReports(s);
      } catch (e) {
        return (e as { code?: string; message: string }).code + ' ' + (e as Error).message;
      }
      return 'merged';
    };
    expect(fail(shards.slice(0, 2))).to.match(/^ERR_MERGE_REPORTS .*3\/3 missing/);
    expect(fail([...shards, shards[0]!])).to.match(/^ERR_MERGE_REPORTS .*shard 1\/3 is in both/);
    const foreign = { file: 'x.json', report: { ...shards[1]!.report, shard: { current: 2, total: 4 } } };
    expect(fail([shards[0]!, foreign, shards[2]!])).to.match(/^ERR_MERGE_REPORTS .*of 3 shards/);
    const short = {
      file: 'y.json',
      report: { ...shards[1]!.report, results: shards[1]!.report.results.slice(1) },
    };
    expect(fail([shards[0]!, short, shards[2]!])).to.match(/^ERR_MERGE_REPORTS .*round-robin/);
  });

  it('exits 2 with the code when the directory holds no shard reports', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'harness-noshards-'));
    writeFileSync(join(empty, 'bench.json'), '{"B1": {}}');
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['merge-reports', empty])).to.equal(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errs.join('')).to.match(/ERR_MERGE_REPORTS: no shard reports/);
  });
});
