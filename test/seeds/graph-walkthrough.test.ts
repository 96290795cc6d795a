import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT } from '../helpers/world.js';
import { scimCreateIgnoresRoles } from './flaws.js';

const walkthrough = join(ROOT, 'scenarios/scim/entra-graph-extension-roles.yaml');

/** The walkthrough with one of its Graph calls changed, as a careless admin would run it. */
function variant(from: string, to: string): string {
  const text = readFileSync(walkthrough, 'utf8');
  expect(text).to.include(from);
  const file = join(mkdtempSync(join(tmpdir(), 'graph-walkthrough-')), 'variant.yaml');
  writeFileSync(file, text.replace(from, to));
  return file;
}

describe('seed rules: seed 004 as Microsoft Graph calls, step by step', function () {
  this.timeout(180_000);

  it('the reference SP passes on Entra: the extension attributes set through Graph are provisioned and give him his roles', async () => {
    const report = await runScenarios([walkthrough], ['entra', 'okta', 'onelogin']);
    const cells = report.results.map((r) => `${r.idp} ${r.status}`).sort();
    expect(cells, summary(report)).to.deep.equal([
      'entra passed',
      'okta not-applicable',
      'onelogin not-applicable',
    ]);
    const entra = report.results.find((r) => r.idp === 'entra')!;
    expect(entra.steps.map((s) => s.status)).to.deep.equal(Array(14).fill('passed'));
  });

  it('errs when the extension property is created on the appId: Graph refuses it, as the seed warns ("Do not use appId")', async () => {
    const wrong = variant(
      'path: /applications/{appObjectId}/extensionProperties\n      body: { name: workato_role, dataType',
      'path: /applications/{appId}/extensionProperties\n      body: { name: workato_role, dataType',
    );
    const report = await runScenarios([wrong], ['entra']);
    const r = report.results[0]!;
    expect(r.status, summary(report)).to.equal('error');
    const step = r.steps.find((s) => s.status === 'error')!;
    expect(step.code).to.equal('ERR_IDP');
    expect(step.message).to.match(
      /Graph answered 404 to POST \/applications\/\{appId\}\/extensionProperties/,
    );
  });

  it('errs when the walkthrough reads back an attribute it never PATCHed', async () => {
    const wrong = variant("body: { '{roleDev}': Admin, ", 'body: { ');
    const report = await runScenarios([wrong], ['entra']);
    const step = report.results[0]!.steps.find((s) => s.status === 'error');
    expect(step?.code, summary(report)).to.equal('ERR_IDP');
    expect(step?.message).to.match(/\$select|is undefined, expected "Admin"/);
  });

  it('fails an SP that ignores the roles the provisioned user carries', async () => {
    const report = await runScenarios([walkthrough], ['entra'], new FlawedTarget([scimCreateIgnoresRoles]));
    const r = report.results[0]!;
    expect(r.status, summary(report)).to.equal('failed');
    expect(r.steps.find((s) => s.status === 'failed')?.name).to.match(/provision on demand through Graph/);
  });
});
