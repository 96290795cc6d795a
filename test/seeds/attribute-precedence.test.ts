import { expect } from 'chai';
import { join } from 'node:path';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT } from '../helpers/world.js';
import { emailFromNameId } from './flaws.js';

const scenario = join(ROOT, 'scenarios/jit/email-from-workato-email.yaml');

describe('seed rules: the email comes from workato_email before the NameID (seed 000)', function () {
  this.timeout(120_000);

  it('the reference SP passes with a persistent ID, a username, a UPN and an employee ID as NameID', async () => {
    const report = await runScenarios([scenario], ['okta', 'onelogin', 'entra', 'google']);
    expect(
      report.results.map((r) => r.status),
      summary(report),
    ).to.deep.equal(Array(4).fill('passed'));
  });

  it('fails an SP that takes the NameID as the email, on every vendor, also when graded on pages alone', async () => {
    for (const observer of [true, false]) {
      const report = await runScenarios(
        [scenario],
        ['okta', 'onelogin', 'entra', 'google'],
        new FlawedTarget([emailFromNameId], { observer }),
      );
      expect(
        report.results.map((r) => r.status),
        summary(report),
      ).to.deep.equal(Array(4).fill('failed'));
      for (const r of report.results) expect(r.message).to.match(/the NameID is not her address/);
    }
  });
});
