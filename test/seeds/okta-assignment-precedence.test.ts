import { expect } from 'chai';
import { join } from 'node:path';
import type { Action } from '../../mock-idp/src/scim/engines/engine.js';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT } from '../helpers/world.js';
import { roleChangesWaitForSignIn } from './flaws.js';

const convert = join(ROOT, 'scenarios/scim/okta-convert-assignments.yaml');
const groupRoles = join(ROOT, 'scenarios/scim/group-assignment-roles.yaml');

/**
 * The engine the harness runs: run-suite imports the IdP lazily, so a static import here could
 * load a second copy of the module.
 */
const engineModule = () => import('../../mock-idp/src/scim/engines/okta.js');

/** A wrong Okta: a group assignment overwrites every member's values, individual or not. */
const groupValuesOverwrite: Action = async (t, p) => {
  const { provision } = await engineModule();
  const members = t.users().filter((u) => (u.groups ?? []).includes(String(p.group)));
  for (const u of members) {
    u.assigned = true;
    u.appUser = { ...u.appUser, ...(p.appUser as object) };
  }
  return Promise.all(members.map((u) => provision(t, u)));
};

describe('seed rules: Okta assignment precedence, "Convert user assignments to group assignments" (seed 002)', function () {
  this.timeout(180_000);

  it('the reference SP passes, on Okta only, and group assignment still provisions unassigned members', async () => {
    const report = await runScenarios([convert, groupRoles], ['okta', 'onelogin', 'entra']);
    const cells = report.results.map((r) => `${r.case} [${r.idp}] ${r.status}`).sort();
    expect(cells, summary(report)).to.deep.equal([
      'scim.group-assignment-roles [entra] not-applicable',
      'scim.group-assignment-roles [okta] passed',
      'scim.group-assignment-roles [onelogin] not-applicable',
      'scim.okta-convert-assignments [entra] not-applicable',
      'scim.okta-convert-assignments [okta] passed',
      'scim.okta-convert-assignments [onelogin] not-applicable',
    ]);
  });

  it('fails when the IdP lets group values overwrite an individual assignment before conversion', async () => {
    const { oktaEngine } = await engineModule();
    const right = oktaEngine.actions['assign-group']!;
    oktaEngine.actions['assign-group'] = groupValuesOverwrite;
    try {
      const report = await runScenarios([convert], ['okta']);
      const r = report.results[0]!;
      expect(r.status, summary(report)).to.equal('failed');
      expect(r.message, summary(report)).to.match(/Analyst/);
    } finally {
      oktaEngine.actions['assign-group'] = right;
    }
  });

  it('fails an SP that applies the converted roles only at the next sign-in', async () => {
    const report = await runScenarios([convert], ['okta'], new FlawedTarget([roleChangesWaitForSignIn()]));
    const r = report.results[0]!;
    expect(r.status, summary(report)).to.equal('failed');
    expect(r.message, summary(report)).to.match(/Admin/);
  });
});
