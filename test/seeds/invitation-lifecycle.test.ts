import { expect } from 'chai';
import { join } from 'node:path';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT } from '../helpers/world.js';
import {
  activeWithoutInvitation,
  everlastingInvitationLink,
  invitationLinkJoinsExistingAccount,
  reusableInvitationLink,
} from './flaws.js';

const scenario = (name: string) => join(ROOT, 'scenarios/scim', name);

describe('seed rules: the SCIM invitation lifecycle (seeds 002–004)', function () {
  this.timeout(120_000);

  it('the reference SP passes the invitation cases on Okta and Entra', async () => {
    const report = await runScenarios(
      [
        scenario('create-user-invites.yaml'),
        scenario('invitation-expires.yaml'),
        scenario('invitation-existing-account.yaml'),
      ],
      ['okta', 'entra'],
    );
    expect(
      report.results.map((r) => r.status),
      summary(report),
    ).to.deep.equal(Array(6).fill('passed'));
  });

  it('fails an SP whose SCIM members are active before they verify, also when graded on pages alone', async () => {
    for (const observer of [true, false]) {
      const report = await runScenarios(
        [scenario('create-user-invites.yaml')],
        ['okta'],
        new FlawedTarget([activeWithoutInvitation], { observer }),
      );
      expect(report.results[0]!.status, summary(report)).to.equal('failed');
      if (!observer) expect(report.results[0]!.message).to.match(/before verifying her address/);
    }
  });

  it('fails an SP whose invitation link works twice', async () => {
    const report = await runScenarios(
      [scenario('create-user-invites.yaml')],
      ['onelogin'],
      new FlawedTarget([reusableInvitationLink]),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(/the invitation link works once/);
  });

  it('fails an SP whose invitation link never expires', async () => {
    const report = await runScenarios(
      [scenario('invitation-expires.yaml')],
      ['entra'],
      new FlawedTarget([everlastingInvitationLink]),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(/too late/);
  });

  it('fails an SP that lets an existing account join through the invitation link alone', async () => {
    const report = await runScenarios(
      [scenario('invitation-existing-account.yaml')],
      ['okta'],
      new FlawedTarget([invitationLinkJoinsExistingAccount]),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(/sends her to the sign-in page/);
  });
});
