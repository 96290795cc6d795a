import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/src/errors.js';
import { NO_IDP, summarize, type CaseResult, type Report } from '../../harness/src/model.js';
import { ConsoleOut } from '../../harness/src/reporters/console.js';
import { DotReporter } from '../../harness/src/reporters/dot.js';
import { renderHtml } from '../../harness/src/reporters/html.js';
import { JsonReporter } from '../../harness/src/reporters/json.js';
import { renderJunit } from '../../harness/src/reporters/junit.js';
import { ListReporter } from '../../harness/src/reporters/list.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarioText, loadScenarios } from '../../harness/src/scenario/load.js';
import { compare, fromResults } from '../../targets/zoo/expected.js';
import { ROOT } from '../helpers/world.js';

const RFC = join(ROOT, 'scenarios/scim/rfc-discovery.yaml');

const result = (idp: string, status: CaseResult['status']): CaseResult => ({
  case: idp === NO_IDP ? 'scim.rfc.discovery' : 'jit.new-user',
  scenario: 'scenarios/x.yaml',
  idp,
  driver: 'http',
  variant: {},
  status,
  durationMs: 3,
  requirements: ['RFC7644-4'],
  steps: [],
  ...(status === 'failed' ? { message: 'discovery: the SP answered 404' } : {}),
});

const reportOf = (results: CaseResult[]): Report => ({
  version: 1,
  startedAt: new Date(0).toISOString(),
  durationMs: 10,
  summary: summarize(results),
  results,
});

describe('harness: IdP-independent cases (scim.rfc.*) have a column of their own', () => {
  it('are planned once, under no IdP, whichever IdPs are chosen', () => {
    const scenarios = loadScenarios([RFC]);
    for (const idps of [
      ['okta', 'onelogin', 'entra', 'google'],
      ['google'],
      ['entra', 'onelogin'],
    ] as const) {
      const runs = plan(scenarios, { idps, driver: 'http' });
      expect(runs.map((r) => r.key)).to.deep.equal([`scim.rfc.discovery|${NO_IDP}|http`]);
      expect(runs[0]!.verdict).to.equal(undefined);
    }
    expect(plan(scenarios, { idps: ['okta'], driver: 'http', grep: /\[none\]/ })).to.have.length(1);
  });

  it('every bundled scim.rfc case is IdP-independent', () => {
    const rfc = loadScenarios([join(ROOT, 'scenarios')]).filter((l) =>
      l.scenario.case.startsWith('scim.rfc.'),
    );
    expect(rfc.length).to.be.greaterThan(0);
    for (const l of rfc) expect(l.scenario.idpIndependent, l.file).to.equal(true);
  });

  it('refuses an IdP-independent case that also lists IdPs, at the line of the key', () => {
    const text = `case: scim.rfc.x\ntitle: t\nrequirements: [RFC7644-4]\nidpIndependent: true\nidps: [okta]\nsteps:\n  - scimRequest: { method: GET, path: /Users }\n`;
    let err: unknown;
    try {
      loadScenarioText(text, 'x.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).code).to.equal('ERR_SCENARIO_INVALID');
    expect((err as InputError).problems.map((p) => [p.line, p.path])).to.deep.equal([[5, 'idps']]);
  });

  it('runs against the reference SP and is reported under the IdP "none" in the JSON report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'independent-'));
    try {
      const report = await runSuite(plan(loadScenarios([RFC]), { idps: ['google'], driver: 'http' }), {
        driver: 'http',
        workers: 1,
        reportsDir: dir,
        reporters: [new JsonReporter(join(dir, 'report.json'))],
      });
      expect(report.results.map((r) => [r.case, r.idp, r.status])).to.deep.equal([
        ['scim.rfc.discovery', NO_IDP, 'passed'],
      ]);
      const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
      expect(json.results[0]!.idp).to.equal(NO_IDP);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('list, dot, JUnit and HTML name it "no IdP", never okta', () => {
    const results = [result('okta', 'passed'), result(NO_IDP, 'failed')];
    const report = reportOf(results);

    const lines: string[] = [];
    const list = new ListReporter((l) => lines.push(l));
    for (const r of results) list.onResult(r);
    expect(lines.join('\n')).to.include('✗ scim.rfc.discovery [no IdP/http]');

    const chunks: string[] = [];
    const dot = new DotReporter(new ConsoleOut({ write: (s: string) => chunks.push(s) }, false));
    for (const r of results) dot.onResult(r);
    dot.onEnd(report);
    expect(chunks.join('')).to.include('failed: scim.rfc.discovery [no IdP/http]');

    expect(renderJunit(report)).to.include('name="scim.rfc.discovery [no IdP, http]"');

    const html = renderHtml(report);
    const heads = [...html.matchAll(/<th class="idp" data-idp="([^"]+)">([^<]+)<\/th>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(heads).to.deep.equal([
      ['okta', 'okta'],
      [NO_IDP, 'no IdP'],
    ]);
    expect(html).to.match(/<td class="cell st-failed" data-idp="none">/);
    expect(html).to.include('scim.rfc.discovery · no IdP · http');
  });

  it('zoo expected results: an IdP-independent case is one verdict, compared once', () => {
    const results = [result(NO_IDP, 'passed')];
    const expected = fromResults('sp', results);
    expect(expected.cases['scim.rfc.discovery']).to.deep.equal({ status: 'passed' });
    expect(compare(expected, results, ['okta', 'onelogin', 'entra', 'google'])).to.deep.equal([]);
    const diffs = compare(expected, [result(NO_IDP, 'failed')], ['okta']);
    expect(diffs.map((d) => [d.idp, d.expected, d.actual])).to.deep.equal([[NO_IDP, 'passed', 'failed']]);
  });
});
