import { expect } from 'chai';
import { join } from 'node:path';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT } from '../helpers/world.js';
import { deleteDropsAssets, deletedKeepsSession, wipesRolesOnDeprovisioning } from './flaws.js';

const keeps = join(ROOT, 'scenarios/scim/reprovision-keeps-privileges.yaml');
const afterDelete = join(ROOT, 'scenarios/scim/reprovision-after-delete.yaml');

describe('seed rules: a re-provisioned member "would retain their earlier privileges" (seed 002)', function () {
  this.timeout(180_000);

  it('the reference SP passes: after an Okta suspension, and after a DELETE on OneLogin and Entra', async () => {
    const report = await runScenarios([keeps, afterDelete], ['okta', 'onelogin', 'entra']);
    const cells = report.results.map((r) => `${r.case} [${r.idp}] ${r.status}`).sort();
    expect(cells, summary(report)).to.deep.equal([
      'scim.reprovision-after-delete [entra] passed',
      'scim.reprovision-after-delete [okta] not-applicable',
      'scim.reprovision-after-delete [onelogin] passed',
      'scim.reprovision-keeps-privileges [entra] passed',
      'scim.reprovision-keeps-privileges [okta] passed',
      'scim.reprovision-keeps-privileges [onelogin] passed',
    ]);
  });

  it('fails an SP that wipes roles on deprovisioning where the IdP sends no roles back: Okta unsuspending, and re-provisioning after a DELETE', async () => {
    const report = await runScenarios(
      [keeps, afterDelete],
      ['okta', 'onelogin', 'entra'],
      new FlawedTarget([wipesRolesOnDeprovisioning]),
    );
    const status = Object.fromEntries(report.results.map((r) => [`${r.case} [${r.idp}]`, r.status]));
    expect(status, summary(report)).to.include({
      'scim.reprovision-keeps-privileges [okta]': 'failed',
      'scim.reprovision-after-delete [onelogin]': 'failed',
      'scim.reprovision-after-delete [entra]': 'failed',
    });
    // OneLogin's template re-sends every role on reactivation, and Entra re-sends what differs:
    // there the IdP itself repairs the wiped roles, so only the cells above can catch it.
    expect(status).to.include({
      'scim.reprovision-keeps-privileges [onelogin]': 'passed',
      'scim.reprovision-keeps-privileges [entra]': 'passed',
    });
    for (const r of report.results.filter((x) => x.status === 'failed'))
      expect(r.message, summary(report)).to.match(/re-provisioned|provisions her again/);
  });

  it('fails it on pages alone too: after Okta lifts the suspension the admins’ page is closed to her', async () => {
    const report = await runScenarios(
      [keeps],
      ['okta'],
      new FlawedTarget([wipesRolesOnDeprovisioning], { observer: false }),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(/her Admin rights are back/);
  });

  it('fails an SP whose SCIM DELETE takes her recipes along (OneLogin Delete, Entra hard delete)', async () => {
    const report = await runScenarios(
      [afterDelete],
      ['onelogin', 'entra'],
      new FlawedTarget([deleteDropsAssets]),
    );
    expect(
      report.results.map((r) => r.status),
      summary(report),
    ).to.deep.equal(['failed', 'failed']);
    for (const r of report.results) expect(r.message).to.match(/her recipe is still in the workspace/);
  });

  it('fails an SP that still serves her open session after a SCIM DELETE, graded on pages alone', async () => {
    const report = await runScenarios(
      [afterDelete],
      ['entra'],
      new FlawedTarget([deletedKeepsSession()], { observer: false }),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(/her next action locks her out/);
  });
});
