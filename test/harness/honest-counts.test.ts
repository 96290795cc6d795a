import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor, summarize, type Report } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { mainCapturing as cli } from '../helpers/cli.js';
import { ROOT } from '../helpers/world.js';

const NOT_ON_GOOGLE = join(ROOT, 'test/harness/fixtures/suite/not-on-google.yaml');

describe('harness: a run that graded nothing does not pass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-counts-'));

  it('exits 2 with ERR_NOTHING_GRADED when every case run is not applicable', async () => {
    const json = join(dir, 'all-na.json');
    const { code, err } = await cli([
      'run',
      NOT_ON_GOOGLE,
      '--idp',
      'google',
      '--reporter',
      `json=${json}`,
      '--no-progress',
      '--reports-dir',
      dir,
    ]);
    expect(code).to.equal(2);
    expect(err).to.include('ERR_NOTHING_GRADED');
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.summary).to.include({ passed: 0, failed: 0, notApplicable: 1 });
  });

  it('exits 2 with ERR_NO_CASES when --grep selects no case, and runs nothing', async () => {
    const json = join(dir, 'none.json');
    const { code, err } = await cli([
      'run',
      join(ROOT, 'scenarios/jit'),
      '--grep',
      'jit\\.no-such-case',
      '--reporter',
      `json=${json}`,
      '--no-progress',
    ]);
    expect(code).to.equal(2);
    expect(err).to.include('ERR_NO_CASES');
  });

  it('the exit code of a summary without a pass or a failure is 2; with one, it is 0 or 1', () => {
    const base = { passed: 0, failed: 0, skipped: 0, errors: 0, notApplicable: 0 };
    expect(exitCodeFor(base)).to.equal(2);
    expect(exitCodeFor({ ...base, notApplicable: 3, skipped: 1 })).to.equal(2);
    expect(exitCodeFor({ ...base, notApplicable: 3, passed: 1 })).to.equal(0);
    expect(exitCodeFor({ ...base, notApplicable: 3, failed: 1 })).to.equal(1);
    expect(exitCodeFor(summarize([]))).to.equal(2);
  });
});

describe('harness: --grep matches the case ID, the title or "<case> <title> [<idp>]"', () => {
  const jit = loadScenarios([join(ROOT, 'scenarios/jit')]);
  const cases = (grep: string, grepInvert?: string) => [
    ...new Set(
      plan(jit, {
        idps: ['okta'],
        driver: 'http',
        grep: new RegExp(grep),
        ...(grepInvert ? { grepInvert: new RegExp(grepInvert) } : {}),
      }).map((r) => r.loaded.scenario.case),
    ),
  ];

  it('anchors on the case ID alone', () => {
    expect(cases('^jit\\.new-user$')).to.deep.equal(['jit.new-user']);
  });

  it('anchors on the title alone', () => {
    const title = jit.find((l) => l.scenario.case === 'jit.new-user')!.scenario.title;
    expect(cases(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)).to.deep.equal(['jit.new-user']);
  });

  it('still matches the whole "<case> <title> [<idp>]" line', () => {
    expect(cases('^jit\\.new-user .*\\[okta\\]$')).to.deep.equal(['jit.new-user']);
    expect(cases('\\[onelogin\\]')).to.deep.equal([]);
  });

  it('--grep-invert leaves out a case whose ID alone matches', () => {
    expect(cases('^jit\\.', '^jit\\.new-user$')).to.not.include('jit.new-user');
    expect(cases('^jit\\.', '^jit\\.new-user$').length).to.be.greaterThan(1);
  });

  it('list --grep selects on the case ID alone too', async () => {
    const { code, out } = await cli(['list', join(ROOT, 'scenarios/jit'), '--grep', '^jit\\.new-user$']);
    expect(code).to.equal(0);
    expect(out).to.match(/^\s+jit\.new-user\s/m);
    expect(out).to.not.match(/^\s+jit\.defaults/m);
  });
});
