import { expect } from 'chai';
import { join } from 'node:path';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT } from '../helpers/world.js';
import { pagesTreatRoleAs, roleChangesWaitForSignIn } from './flaws.js';

const scenario = (path: string) => join(ROOT, 'scenarios', path);

describe('seed rules: roles are rights, not labels (seeds 000, 002, 004)', function () {
  this.timeout(180_000);

  it('the reference SP passes the role cases', async () => {
    const report = await runScenarios(
      [
        scenario('jit/custom-role.yaml'),
        scenario('jit/no-access-role.yaml'),
        scenario('scim/update-role-immediate-mid-session.yaml'),
        scenario('scim/no-access-role.yaml'),
      ],
      ['okta'],
    );
    expect(
      report.results.map((r) => r.status),
      summary(report),
    ).to.deep.equal(Array(4).fill('passed'));
  });

  it('fails an SP whose custom roles are labels: the member sees every folder and edits everything', async () => {
    const report = await runScenarios(
      [scenario('jit/custom-role.yaml')],
      ['google'],
      new FlawedTarget([pagesTreatRoleAs('mktg_ops', 'Admin')], { observer: false }),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(/does not see the Finance folder/);
  });

  it('fails an SP that records NoAccess but still opens the environment, for JIT and SCIM', async () => {
    const report = await runScenarios(
      [scenario('jit/no-access-role.yaml'), scenario('scim/no-access-role.yaml')],
      ['entra'],
      new FlawedTarget([pagesTreatRoleAs('NoAccess', 'Operator')]),
    );
    expect(
      report.results.map((r) => r.status),
      summary(report),
    ).to.deep.equal(['failed', 'failed']);
    expect(report.results[0]!.message).to.match(/PROD is closed to her/);
    expect(report.results[1]!.message).to.match(/her next request to PROD is refused/);
  });

  it('fails an SP that applies a SCIM role change only at the next sign-in, also when graded on pages alone', async () => {
    const report = await runScenarios(
      [scenario('scim/update-role-immediate-mid-session.yaml')],
      ['onelogin'],
      new FlawedTarget([roleChangesWaitForSignIn()], { observer: false }),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(
      /her next action, in the same session, edits the PROD recipe/,
    );
  });

  it("fails an SP that gives an Operator an Admin's rights in PROD, and one that gives an Analyst an Admin's", async () => {
    const operator = await runScenarios(
      [scenario('scim/update-role-immediate-mid-session.yaml')],
      ['okta'],
      new FlawedTarget([pagesTreatRoleAs('Operator', 'Admin')]),
    );
    expect(operator.results[0]!.status, summary(operator)).to.equal('failed');
    expect(operator.results[0]!.message).to.match(/as an Operator in PROD she cannot edit the recipe there/);
    const analyst = await runScenarios(
      [scenario('scim/okta-convert-assignments.yaml')],
      ['okta'],
      new FlawedTarget([pagesTreatRoleAs('Analyst', 'Admin')], { observer: false }),
    );
    expect(analyst.results[0]!.status, summary(analyst)).to.equal('failed');
    expect(analyst.results[0]!.message).to.match(/as an Analyst he cannot see the workspace's members/);
  });
});
