import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../harness/src/cli.js';
import type { CaseResult, Report } from '../../harness/src/model.js';
import { loadSetupFile, startIdp } from '../../mock-idp/src/index.js';
import { ForeignSp } from '../helpers/foreign-sp.js';
import { ROOT } from '../helpers/world.js';

const JIT = join(ROOT, 'test/fixtures/scenarios/targets/observed-jit.yaml');
const DEPROVISION = join(ROOT, 'test/fixtures/scenarios/targets/observed-deprovision.yaml');

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The metadata of the four bundled tenants as the mock IdP publishes it at `port`, as an SP admin downloads it. */
export async function idpMetadataAt(port: number): Promise<Record<string, string>> {
  const setups = ['okta', 'onelogin', 'entra', 'google'].map((v) =>
    loadSetupFile(join(ROOT, `fixtures/setups/${v}.yaml`)),
  );
  const idp = await startIdp({ port, setups });
  try {
    const out: Record<string, string> = {};
    for (const s of setups) out[s.vendor] = await (await fetch(`${idp.url}/${s.tenant}/metadata`)).text();
    return out;
  } finally {
    await idp.close();
  }
}

type ObserverKind = 'reference-api' | 'scim' | 'mapping';

/** A target file for Ledgerly, with `{idp}` in its URLs and the observer of the given kind. */
export function ledgerlyTarget(sp: ForeignSp, idpPort: number, observer: ObserverKind | 'none'): object {
  const t = `${sp.url}/t/{idp}`;
  const observers = {
    'reference-api': { kind: 'reference-api', baseUrl: sp.url, token: sp.apiToken },
    scim: {
      kind: 'scim',
      roles: {
        DEV: "$.roles[?@.type == 'DEV'].value",
        TEST: "$.roles[?@.type == 'TEST'].value",
        PROD: "$.roles[?@.type == 'PROD'].value",
      },
    },
    mapping: {
      kind: 'mapping',
      token: sp.apiToken,
      members: {
        url: `${t}/internal/people`,
        items: '$.data[*]',
        email: '$.mail',
        name: '$.fullName',
        status: '$.state',
        statusValues: { enabled: 'active', disabled: 'deactivated' },
        roles: { DEV: '$.grants.dev', TEST: '$.grants.test', PROD: '$.grants.prod' },
      },
      sessions: { url: `${t}/internal/logins`, items: '$.sessions[*]', email: '$.who.mail' },
    },
  };
  return {
    name: `Ledgerly (${observer})`,
    sp: {
      metadataUrl: `${t}/saml/metadata`,
      loginUrl: `${t}/app`,
      workspace: '{idp}',
      relayState: 'url',
      pages: {
        deepLink: '/t/{idp}/app/reports/42',
        secondDeepLink: '/t/{idp}/app/reports/7',
        signedOut: '/t/{idp}/bye',
      },
      settings: { jit: true, environments: ['DEV', 'TEST', 'PROD'], customRoles: ['mktg_ops'] },
    },
    signedIn: { pattern: 'Welcome back, {email}' },
    idp: { port: idpPort },
    scim: { baseUrl: `${t}/scim/v2`, token: sp.scimToken },
    ...(observer === 'none' ? {} : { observer: observers[observer] }),
  };
}

export async function runTarget(
  target: object,
  scenario: string,
  dir: string,
  extra: string[] = [],
): Promise<{ code: number; report: Report }> {
  const file = join(dir, `target-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(target));
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const code = await main([
    'run',
    scenario,
    '--target',
    file,
    '--reporter',
    `json=${out}`,
    '--no-progress',
    '--reports-dir',
    dir,
    ...extra,
  ]);
  return { code, report: JSON.parse(readFileSync(out, 'utf8')) as Report };
}

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
          expect(r.status).to.equal(kind === 'scim' ? 'not-applicable' : 'passed');
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
      expect(code).to.equal(0);
      expect(r.observer).to.equal('none');
      expect(stepStatuses(r)).to.deep.equal(['passed', 'passed', 'not-applicable', 'not-applicable']);
    } finally {
      await sp.close();
    }
  });
});
