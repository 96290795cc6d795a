import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseResult } from '../../harness/src/model.js';
import { ForeignSp } from '../helpers/foreign-sp.js';
import { freePort, idpMetadataAt, ledgerlyTarget, runTarget } from '../helpers/ledgerly.js';
import { ROOT } from '../helpers/world.js';

const JIT = join(ROOT, 'test/fixtures/scenarios/targets/observed-jit.yaml');
const DEPROVISION = join(ROOT, 'test/fixtures/scenarios/targets/observed-deprovision.yaml');

const stepStatuses = (r: CaseResult) => r.steps.map((s) => s.status);

describe('harness: observers other than our admin API grade an SP we did not write (Ledgerly)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'harness-observers-'));
  let idpPort: number;
  let metadata: Record<string, string>;
  before(async () => {
    idpPort = await freePort();
    metadata = await idpMetadataAt(idpPort);
  });

  for (const kind of ['reference-api', 'scim', 'mapping'] as const) {
    describe(`observer kind ${kind}`, () => {
      it('grades a right SP on state, and every result names the observer', async () => {
        const sp = await ForeignSp.start({ idps: metadata });
        try {
          const { report } = await runTarget(ledgerlyTarget(sp, idpPort, kind), JIT, dir);
          const r = report.results[0]!;
          expect(r.observer).to.equal(kind);
          expect(stepStatuses(r).slice(0, 3), JSON.stringify(r.steps.map((s) => s.message))).to.deep.equal([
            'passed',
            'passed',
            'passed',
          ]);
          const member = r.steps[2]!.evidence.observed as { member: { roles: unknown }; observer: string };
          expect(member.observer).to.equal(kind);
          expect(member.member.roles).to.deep.equal({ DEV: 'mktg_ops', TEST: 'Analyst', PROD: 'Operator' });
          // Sessions: SCIM has none, so that check is not applicable through it, never passed.
          expect(r.steps[3]!.status).to.equal(kind === 'scim' ? 'not-applicable' : 'passed');
          if (kind === 'scim') expect(r.steps[3]!.message).to.match(/SCIM 2\.0 defines none/);
          // A step none of whose checks could run leaves the case not applicable; a pass was graded on state.
          expect(r.status).to.equal(kind === 'scim' ? 'not-applicable' : 'passed');
          if (kind !== 'scim') expect(r.grading).to.equal('state');
          expect(r.checks?.notApplicable).to.equal(kind === 'scim' ? 1 : 0);
        } finally {
          await sp.close();
        }
      });

      it('catches a wrong SP that gives every new member Admin', async () => {
        const sp = await ForeignSp.start({ idps: metadata, wrong: 'roles' });
        try {
          const { code, report } = await runTarget(ledgerlyTarget(sp, idpPort, kind), JIT, dir);
          const r = report.results[0]!;
          expect(code).to.equal(1);
          expect(r.status).to.equal('failed');
          expect(r.observer).to.equal(kind);
          expect(r.steps[2]!.status).to.equal('failed');
          expect(r.steps[2]!.message).to.match(/member roles are .*Admin/);
        } finally {
          await sp.close();
        }
      });

      it('sees a member the IdP provisions and deactivates over SCIM', async () => {
        const sp = await ForeignSp.start({ idps: metadata });
        try {
          const { report } = await runTarget(ledgerlyTarget(sp, idpPort, kind), DEPROVISION, dir);
          const r = report.results[0]!;
          expect(stepStatuses(r), JSON.stringify(r.steps.map((s) => s.message))).to.deep.equal([
            'passed',
            'passed',
            'passed',
          ]);
          expect(r.observer).to.equal(kind);
        } finally {
          await sp.close();
        }
      });
    });
  }

  it('without an observer, the state checks are not applicable and the result says nothing read state', async () => {
    const sp = await ForeignSp.start({ idps: metadata, wrong: 'roles' });
    try {
      const { code, report } = await runTarget(ledgerlyTarget(sp, idpPort, 'none'), JIT, dir);
      const r = report.results[0]!;
      // Two of its steps could not be graded at all: not applicable, and a run that graded nothing.
      expect(code).to.equal(2);
      expect(r.observer).to.equal('none');
      expect(stepStatuses(r)).to.deep.equal(['passed', 'passed', 'not-applicable', 'not-applicable']);
      expect(r.status).to.equal('not-applicable');
      expect(r.checks).to.include({ passed: 1, onState: 0, notApplicable: 2 });
    } finally {
      await sp.close();
    }
  });
});
