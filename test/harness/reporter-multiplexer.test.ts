import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../../harness/src/errors.js';
import { summarize, type CaseResult, type Report } from '../../harness/src/model.js';
import { JsonReporter } from '../../harness/src/reporters/json.js';
import { ReporterMultiplexer } from '../../harness/src/reporters/multiplexer.js';
import type { Reporter } from '../../harness/src/reporters/reporter.js';
import { renderReport } from '../../harness/src/runner/merge.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';

const result = (c: string): CaseResult => ({
  case: c,
  scenario: `scenarios/${c}.yaml`,
  idp: 'okta',
  driver: 'http',
  variant: {},
  status: 'passed',
  durationMs: 1,
  requirements: [],
  steps: [],
});

const reportOf = (results: CaseResult[]): Report => ({
  version: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 2,
  summary: summarize(results),
  results,
});

/** Records every hook it is given. */
class Recorder implements Reporter {
  readonly calls: string[] = [];
  onBegin() {
    this.calls.push('begin');
  }
  onResult(r: CaseResult) {
    this.calls.push(`result ${r.case}`);
  }
  onRunEnd(r: CaseResult, done: number, total: number) {
    this.calls.push(`runEnd ${r.case} ${done}/${total}`);
  }
  onEnd(r: Report) {
    this.calls.push(`end ${r.results.length}`);
  }
}

/** Throws from one hook. */
class Thrower extends Recorder {
  constructor(private readonly at: 'onBegin' | 'onResult' | 'onEnd') {
    super();
  }
  override onBegin() {
    super.onBegin();
    if (this.at === 'onBegin') throw new Error('cannot open the terminal');
  }
  override async onResult(r: CaseResult) {
    super.onResult(r);
    if (this.at === 'onResult') throw new Error('disk full');
  }
  override onEnd(r: Report) {
    super.onEnd(r);
    if (this.at === 'onEnd') throw new Error('cannot write');
  }
}

describe('harness: reporter multiplexer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mux-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes every hook to every reporter, in order', async () => {
    const a = new Recorder();
    const b = new Recorder();
    const mux = new ReporterMultiplexer([a, b]);
    await mux.onBegin({ total: 2, driver: 'http', target: 't' });
    await mux.onRunEnd(result('x'), 1, 2);
    await mux.onResult(result('x'));
    await mux.onEnd(reportOf([result('x')]));
    const want = ['begin', 'runEnd x 1/2', 'result x', 'end 1'];
    expect(a.calls).to.deep.equal(want);
    expect(b.calls).to.deep.equal(want);
  });

  for (const at of ['onBegin', 'onResult', 'onEnd'] as const) {
    it(`contains a reporter that throws in ${at}: the others see the whole run, then ERR_REPORTER names it`, async () => {
      const before = new Recorder();
      const thrower = new Thrower(at);
      const after = new Recorder();
      const report = reportOf([result('x'), result('y')]);
      const err = await renderReport(report, [before, thrower, after]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(HarnessError);
      expect((err as HarnessError).code).to.equal('ERR_REPORTER');
      expect((err as HarnessError).message).to.include(`Thrower failed in ${at}`);
      const whole = ['begin', 'runEnd x 1/2', 'result x', 'runEnd y 2/2', 'result y', 'end 2'];
      expect(before.calls).to.deep.equal(whole);
      expect(after.calls).to.deep.equal(whole);
      // Set aside after its first failure.
      const upTo = { onBegin: 1, onResult: 3, onEnd: 6 }[at];
      expect(thrower.calls).to.deep.equal(whole.slice(0, upTo));
    });
  }

  it('a run still writes the other reports when one reporter cannot, and the run says so as ERR_REPORTER', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const good = join(dir, 'report.json');
    const err = await runSuite([], {
      driver: 'http',
      reporters: [new JsonReporter(join(blocker, 'report.json')), new JsonReporter(good)],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as HarnessError).code).to.equal('ERR_REPORTER');
    expect(existsSync(good)).to.equal(true);
    expect(JSON.parse(readFileSync(good, 'utf8')).version).to.equal(1);
  });

  it('adds nothing when no reporter fails', async () => {
    await renderReport(reportOf([]), [new Recorder()]);
  });
});
