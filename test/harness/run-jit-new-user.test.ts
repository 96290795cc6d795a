import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { Report } from '../../harness/src/model.js';
import { JsonReporter } from '../../harness/src/reporters/json.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import type { DriverId } from '../../harness/src/scenario/types.js';
import { ROOT } from '../helpers/world.js';

async function runNewUser(driver: DriverId): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'harness-run-'));
  const runs = plan(loadScenarios([join(ROOT, 'scenarios/jit/new-user.yaml')]), { idps: ['okta'], driver });
  const report = await runSuite(runs, {
    driver,
    workers: 1,
    stepTimeoutMs: 30_000,
    reportsDir: dir,
    reporters: [new JsonReporter(join(dir, 'report.json'))],
  });
  expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).to.deep.equal(
    JSON.parse(JSON.stringify(report)),
  );
  return report;
}

function checkSamlEvidence(report: Report) {
  const result = report.results[0]!;
  const login = result.steps.find((s) => s.evidence.saml)!;
  const xml = login.evidence.saml!;
  expect(xml).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?><saml2p:Response/);
  // The evidence is byte for byte what crossed the wire: its signatures still verify offline.
  const cert = readFileSync(join(ROOT, 'fixtures/keys/okta.cert.pem'), 'utf8');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const sigs = Array.from(
    doc.getElementsByTagNameNS(
      'http://www.w3.org/2000/09/xmldsig#',
      'Signature',
    ) as unknown as ArrayLike<Node>,
  );
  expect(sigs).to.have.length(2);
  for (const sig of sigs) {
    const sx = new SignedXml({ publicCert: cert });
    sx.loadSignature(sig);
    expect(sx.checkSignature(xml)).to.equal(true);
  }
  expect(login.evidence.samlRequests?.[0]).to.include('AuthnRequest');
}

describe('harness: jit.new-user end to end', () => {
  it('passes with the http driver, with the signed SAML Response as evidence', async () => {
    const report = await runNewUser('http');
    expect(report.summary).to.deep.equal({
      passed: 1,
      passedOnState: 1,
      passedPageOnly: 0,
      failed: 0,
      skipped: 0,
      errors: 0,
      notApplicable: 0,
    });
    expect(report.results[0]).to.include({ grading: 'state' });
    expect(report.results[0]!.checks).to.include({ failed: 0, notApplicable: 0 });
    expect(report.results[0]).to.include({
      case: 'jit.new-user',
      idp: 'okta',
      driver: 'http',
      status: 'passed',
    });
    checkSamlEvidence(report);
  });

  it('passes with the browser driver in a real Chromium, with screenshots', async function () {
    this.timeout(120_000);
    const report = await runNewUser('browser');
    expect(report.results[0]).to.include({
      case: 'jit.new-user',
      idp: 'okta',
      driver: 'browser',
      status: 'passed',
    });
    checkSamlEvidence(report);
    const shots = report.results[0]!.steps.map((s) => s.evidence.screenshot).filter(Boolean);
    expect(shots.length).to.be.greaterThan(0);
  });
});
