import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor, summarize, type Report } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { InputError, type InputProblem } from '../../harness/src/errors.js';
import { loadScenarioText, loadScenarios } from '../../harness/src/scenario/load.js';
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

describe('harness: the schema refuses an expectation that can pass on anything', () => {
  const file = 'test/fixtures/scenarios/checks-nothing/empty-expectations.yaml';

  it('refuses page: {}, members: {}, sessions without count, assets without a check, mails without count, scimResponse: {} and scimSent: [], each at its key path', () => {
    let problems: InputProblem[] = [];
    try {
      loadScenarios([join(ROOT, file)]);
    } catch (e) {
      expect(e).to.be.instanceOf(InputError);
      expect((e as InputError).code).to.equal('ERR_SCENARIO_INVALID');
      problems = (e as InputError).problems;
    }
    const at = (path: string) => problems.filter((p) => p.path === path).map((p) => p.line);
    expect(at('steps[0].expect.page')).to.deep.equal([9]);
    expect(at('steps[1].expect.members')).to.deep.equal([11]);
    expect(at('steps[1].expect.sessions')).to.deep.equal([12]);
    expect(at('steps[2].expect.assets').length).to.be.greaterThan(0);
    expect(at('steps[2].expect.mails')).to.deep.equal([15]);
    expect(at('steps[3].expect.scimResponse')).to.deep.equal([17]);
    expect(at('steps[3].expect.scimSent')).to.deep.equal([18]);
    expect(problems.every((p) => p.file === file)).to.equal(true);
  });

  it('idp-harness validate exits 2 and names the file, line and key path', async () => {
    const { code, err } = await cli(['validate', join(ROOT, file)]);
    expect(code).to.equal(2);
    expect(err).to.include('ERR_SCENARIO_INVALID');
    expect(err).to.include(`${file}:9:`);
    expect(err).to.include('steps[0].expect.page');
  });

  it('accepts the same expectations with something to check', () => {
    const text = [
      'case: fixture.checks-something',
      'title: t',
      "requirements: ['seed:000 x']",
      'steps:',
      '  - expect:',
      '      page: { status: 200 }',
      '      members: { count: 1 }',
      '      sessions: { count: 0, for: a@b.c }',
      '      assets: { owner: a@b.c, names: [x] }',
      '      mails: { to: a@b.c, count: 0 }',
      '      scimResponse: { status: 200 }',
      '      scimSent: [{ method: GET }]',
      '',
    ].join('\n');
    expect(loadScenarioText(text, 'mem.yaml').scenario.case).to.equal('fixture.checks-something');
  });
});
