import { expect } from 'chai';
import { join } from 'node:path';
import type { IdpId } from '../../harness/src/scenario/types.js';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT } from '../helpers/world.js';
import {
  idpInitiatedReadmitsDeprovisioned,
  jitReadmitsDeprovisioned,
  passwordReadmitsDeprovisioned,
} from './flaws.js';

const scenario = (how: string) => join(ROOT, `scenarios/scim/deprovisioned-stays-out-${how}.yaml`);

describe('seed rules: a deprovisioned member cannot come back in by another door (seeds 002–004)', function () {
  this.timeout(240_000);

  it('the reference SP keeps her out after every deprovisioning action of every vendor that has it', async () => {
    const report = await runScenarios(['suspend', 'deactivate', 'unassign', 'hard-delete'].map(scenario), [
      'okta',
      'onelogin',
      'entra',
    ]);
    const cells = report.results.map((r) => `${r.case} [${r.idp}] ${r.status}`);
    expect(
      cells.filter((c) => !c.endsWith(' passed')),
      summary(report),
    ).to.deep.equal(['scim.deprovisioned-stays-out-hard-delete [okta] not-applicable']);
  });

  const jitCells: [string, IdpId][] = [
    ['suspend', 'okta'],
    ['deactivate', 'onelogin'],
    ['unassign', 'entra'],
    ['hard-delete', 'onelogin'],
  ];
  for (const [how, idp] of jitCells) {
    it(`fails an SP whose JIT lets her back in after ${how} (${idp}), also when graded on pages alone`, async () => {
      for (const observer of [true, false]) {
        const report = await runScenarios(
          [scenario(how)],
          [idp],
          new FlawedTarget([jitReadmitsDeprovisioned], { observer }),
        );
        expect(report.results[0]!.status, summary(report)).to.equal('failed');
        expect(report.results[0]!.message).to.match(/a new SP-initiated sign-in does not let her in/);
      }
    });
  }

  it('fails an SP that still takes her password', async () => {
    const report = await runScenarios(
      [scenario('hard-delete')],
      ['entra'],
      new FlawedTarget([passwordReadmitsDeprovisioned]),
    );
    expect(report.results[0]!.status, summary(report)).to.equal('failed');
    expect(report.results[0]!.message).to.match(/nor her password/);
  });

  it('fails an SP that keeps her out of SP-initiated sign-ins but lets an IdP-initiated one in (unassign, OneLogin), also on pages alone', async () => {
    for (const observer of [true, false]) {
      const report = await runScenarios(
        [scenario('unassign')],
        ['onelogin'],
        new FlawedTarget([idpInitiatedReadmitsDeprovisioned], { observer }),
      );
      expect(report.results[0]!.status, summary(report)).to.equal('failed');
      expect(report.results[0]!.message).to.match(/nor does an IdP-initiated one/);
    }
  });
});
