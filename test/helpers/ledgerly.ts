import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../harness/src/cli.js';
import type { Report } from '../../harness/src/model.js';
import { loadSetupFile, startIdp } from '../../mock-idp/src/index.js';
import type { ForeignSp } from './foreign-sp.js';
import { ROOT } from './world.js';

/** Helpers for running the harness against Ledgerly (foreign-sp.ts) through target files. */

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
    outcomes: {
      refused: { text: 'We could not sign you in', status: 400 },
      lockedOut: { text: 'Your access was removed', status: 403 },
      signedOut: { text: 'You are signed out of Ledgerly' },
    },
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
