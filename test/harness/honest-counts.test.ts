import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { parse } from 'node-html-parser';
import { exitCodeFor, summarize, type CaseResult, type Report } from '../../harness/src/model.js';
import { ConsoleOut } from '../../harness/src/reporters/console.js';
import { DOT_PAGE_ONLY, DotReporter } from '../../harness/src/reporters/dot.js';
import { renderHtml } from '../../harness/src/reporters/html.js';
import { PAGE_ONLY_SUFFIX, renderJunit } from '../../harness/src/reporters/junit.js';
import { MAX_INDENT_DEPTH, prettyXml } from '../../harness/src/reporters/pretty-xml.js';
import { ListReporter } from '../../harness/src/reporters/list.js';
import { plan } from '../../harness/src/runner/plan.js';
import { InputError, type InputProblem } from '../../harness/src/errors.js';
import { loadScenarioText, loadScenarios } from '../../harness/src/scenario/load.js';
import { mainCapturing as cli } from '../helpers/cli.js';
import { ForeignSp } from '../helpers/foreign-sp.js';
import { freePort, idpMetadataAt, ledgerlyTarget, runTarget } from '../helpers/ledgerly.js';
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
    const base = summarize([]);
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

describe('harness: reports tell a pass on state from a pass on the page only', () => {
  const evidence = { http: [], scim: [], mail: [] };
  const passed = (c: string, grading: 'state' | 'page-only'): CaseResult => ({
    case: c,
    title: c,
    scenario: `scenarios/${c}.yaml`,
    idp: 'okta',
    driver: 'http',
    variant: {},
    status: 'passed',
    durationMs: 5,
    requirements: [],
    observer: grading === 'state' ? 'scim' : 'none',
    grading,
    checks: { passed: 1, onState: grading === 'state' ? 1 : 0, failed: 0, errors: 0, notApplicable: 1 },
    steps: [
      {
        name: 'the member and her session',
        status: 'passed',
        durationMs: 1,
        evidence,
        checks: [
          {
            check: grading === 'state' ? 'member' : 'page',
            status: 'passed',
            gradedBy: grading === 'state' ? 'scim' : 'page',
          },
          { check: 'sessions', status: 'not-applicable', message: 'SCIM 2.0 defines no sessions' },
        ],
      },
    ],
  });
  const results = [passed('jit.on-state', 'state'), passed('jit.on-page', 'page-only')];
  const report: Report = {
    version: 1,
    startedAt: new Date(0).toISOString(),
    durationMs: 10,
    summary: summarize(results),
    results,
  };

  it('the summary counts them apart', () => {
    expect(report.summary).to.include({ passed: 2, passedOnState: 1, passedPageOnly: 1 });
  });

  it('JUnit: a grading property, a system-out marker and the name suffix of a page-only pass', () => {
    const doc = new DOMParser().parseFromString(renderJunit(report), 'text/xml');
    const cases = Array.from(doc.getElementsByTagName('testcase') as unknown as ArrayLike<Element>);
    const byClass = (c: string) => cases.find((e) => e.getAttribute('classname') === c)!;
    const grading = (e: Element) =>
      Array.from(e.getElementsByTagName('property') as unknown as ArrayLike<Element>)
        .find((p) => p.getAttribute('name') === 'grading')
        ?.getAttribute('value');
    expect(grading(byClass('jit.on-state'))).to.equal('state');
    expect(grading(byClass('jit.on-page'))).to.equal('page-only');
    expect(byClass('jit.on-page').getAttribute('name')!.endsWith(PAGE_ONLY_SUFFIX)).to.equal(true);
    expect(byClass('jit.on-state').getAttribute('name')!.endsWith(PAGE_ONLY_SUFFIX)).to.equal(false);
    expect(byClass('jit.on-page').getElementsByTagName('system-out').length).to.equal(1);
  });

  it('JUnit: a failure lists each check of its steps with its own verdict', () => {
    const failed: CaseResult = {
      ...passed('jit.wrong', 'state'),
      status: 'failed',
      message: 'her roles: member roles differ',
    };
    failed.steps = [
      {
        ...failed.steps[0]!,
        status: 'failed',
        checks: [
          { check: 'sessions', status: 'not-applicable', message: 'no sessions' },
          { check: 'member', status: 'failed', gradedBy: 'scim', message: 'member roles differ' },
        ],
      },
    ];
    const doc = new DOMParser().parseFromString(
      renderJunit({ ...report, results: [failed], summary: summarize([failed]) }),
      'text/xml',
    );
    const text = doc.getElementsByTagName('failure')[0]!.textContent ?? '';
    expect(text).to.match(/sessions: not-applicable/);
    expect(text).to.match(/member: failed/);
  });

  it('HTML: a page-only pass has its own class, not the green of a pass on state; each check shows its verdict', () => {
    const root = parse(renderHtml(report));
    const cell = (c: string) => root.querySelector(`tr[data-case="${c}"] td.cell a`)!;
    expect(cell('jit.on-state').classList.contains('st-passed')).to.equal(true);
    expect(cell('jit.on-page').classList.contains('st-passed-page')).to.equal(true);
    expect(cell('jit.on-page').classList.contains('st-passed')).to.equal(false);
    const checks = root
      .querySelectorAll('li.check')
      .map((li) => [li.getAttribute('data-check'), li.getAttribute('data-status')]);
    expect(checks).to.deep.include.members([
      ['member', 'passed'],
      ['page', 'passed'],
      ['sessions', 'not-applicable'],
    ]);
  });

  it('HTML: a hostile message nested thousands of levels deep renders, its indentation capped', () => {
    const depth = 20_000;
    const xml = '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);
    const pretty = prettyXml(xml);
    const widest = Math.max(...pretty.split('\n').map((l) => l.length));
    expect(widest).to.be.at.most(2 * MAX_INDENT_DEPTH + 20);
    const deep = { ...passed('saml.reject.deep', 'state') };
    deep.steps = [{ ...deep.steps[0]!, evidence: { ...evidence, saml: xml } }];
    expect(() => renderHtml({ ...report, results: [deep] })).to.not.throw();
  });

  it('dot: a page-only pass has its own mark', () => {
    const chunks: string[] = [];
    const dot = new DotReporter(
      new ConsoleOut({ isTTY: false, write: (s: string) => chunks.push(s) }, false),
    );
    for (const r of results) dot.onResult(r);
    expect(chunks.join('')).to.equal(`.${DOT_PAGE_ONLY}`);
  });

  it('list: says what graded each pass and how many checks were not applicable', () => {
    const lines: string[] = [];
    const list = new ListReporter((l) => lines.push(l));
    for (const r of results) list.onResult(r);
    list.onEnd(report);
    expect(lines[0]).to.include('passed on state through scim, 1 of 2 checks not applicable');
    expect(lines[1]).to.include('passed page only, 1 of 2 checks not applicable');
    expect(lines.at(-1)).to.include('2 passed (1 on state, 1 page only)');
  });

  it('list: a failed step shows each of its checks with its own verdict', () => {
    const lines: string[] = [];
    const failed: CaseResult = {
      ...passed('jit.wrong', 'state'),
      status: 'failed',
      message: 'her roles: member roles differ',
      steps: [
        {
          name: 'her roles',
          status: 'failed',
          durationMs: 1,
          evidence,
          message: 'member roles differ',
          code: 'ERR_CHECK_MEMBER_STATE',
          checks: [
            { check: 'sessions', status: 'not-applicable', message: 'SCIM 2.0 defines no sessions' },
            { check: 'member', status: 'failed', gradedBy: 'scim', message: 'member roles differ' },
            { check: 'page', status: 'passed', gradedBy: 'page' },
          ],
        },
      ],
    };
    new ListReporter((l) => lines.push(l)).onResult(failed);
    expect(lines.map((l) => l.trim())).to.include.members([
      'sessions: not-applicable (SCIM 2.0 defines no sessions)',
      'member: failed',
      'page: passed',
    ]);
  });
});

describe('harness: every check of a step runs, each with its own verdict (Ledgerly, SCIM observer)', function () {
  this.timeout(120_000);
  const FIXTURE = join(ROOT, 'test/harness/fixtures/checks/not-applicable-then-wrong-role.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'harness-checks-'));
  let idpPort = 0;
  let metadata: Record<string, string> = {};
  before(async () => {
    idpPort = await freePort();
    metadata = await idpMetadataAt(idpPort);
  });

  it('a step whose first check is not applicable still fails on its second against a wrong SP', async () => {
    const sp = await ForeignSp.start({ idps: metadata, wrong: 'roles' });
    try {
      const { code, report } = await runTarget(ledgerlyTarget(sp, idpPort, 'scim'), FIXTURE, dir);
      const r = report.results[0]!;
      expect(code).to.equal(1);
      expect(r.status).to.equal('failed');
      const step = r.steps.at(-1)!;
      expect(step).to.include({ status: 'failed', code: 'ERR_CHECK_MEMBER_STATE' });
      expect(step.checks?.map((c) => [c.check, c.status, c.gradedBy ?? null])).to.deep.equal([
        ['sessions', 'not-applicable', null],
        ['member', 'failed', 'scim'],
        ['page', 'passed', 'page'],
      ]);
      expect(step.checks![0]!.message).to.be.a('string').and.not.equal('');
      expect(step.checks![1]!.code).to.equal('ERR_CHECK_MEMBER_STATE');
      expect(r.checks).to.include({ passed: 2, failed: 1, notApplicable: 1 });
    } finally {
      await sp.close();
    }
  });

  it('against a right SP the same case passes on state, and says one check was not applicable', async () => {
    const sp = await ForeignSp.start({ idps: metadata });
    try {
      const { code, report } = await runTarget(ledgerlyTarget(sp, idpPort, 'scim'), FIXTURE, dir);
      const r = report.results[0]!;
      expect(code).to.equal(0);
      expect(r).to.include({ status: 'passed', grading: 'state' });
      expect(r.checks).to.include({ passed: 3, onState: 1, failed: 0, notApplicable: 1 });
      expect(r.steps.at(-1)!.checks?.map((c) => c.status)).to.deep.equal([
        'not-applicable',
        'passed',
        'passed',
      ]);
      expect(report.summary).to.include({ passedOnState: 1, passedPageOnly: 0 });
    } finally {
      await sp.close();
    }
  });

  it('a run whose only checks read state, against a target without an observer, graded nothing: exit 2', async () => {
    const sp = await ForeignSp.start({ idps: metadata });
    try {
      const { code, report } = await runTarget(
        ledgerlyTarget(sp, idpPort, 'none'),
        join(ROOT, 'test/harness/fixtures/suite/not-on-google.yaml'),
        dir,
        ['--idp', 'okta'],
      );
      const r = report.results[0]!;
      expect(r.status).to.equal('not-applicable');
      expect(r.steps.at(-1)!.checks?.map((c) => c.status)).to.deep.equal(['not-applicable']);
      expect(r.message).to.be.a('string').and.not.equal('');
      expect(code).to.equal(2);
    } finally {
      await sp.close();
    }
  });

  it('without an observer the page alone grades it: passed, page only', async () => {
    const sp = await ForeignSp.start({ idps: metadata, wrong: 'roles' });
    try {
      const { code, report } = await runTarget(ledgerlyTarget(sp, idpPort, 'none'), FIXTURE, dir);
      const r = report.results[0]!;
      expect(code).to.equal(0);
      expect(r).to.include({ status: 'passed', grading: 'page-only' });
      expect(r.checks).to.include({ passed: 2, onState: 0, notApplicable: 2 });
      expect(r.steps.at(-1)!.checks?.map((c) => c.status)).to.deep.equal([
        'not-applicable',
        'not-applicable',
        'passed',
      ]);
      expect(report.summary).to.include({ passedOnState: 0, passedPageOnly: 1 });
    } finally {
      await sp.close();
    }
  });
});
