import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSetupFile, startIdp, type RunningIdp, type TenantSetup } from '../../mock-idp/src/index.js';
import type { MetadataKey } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export const spKeys = () => ({
  privateKeyPem: readFileSync(join(ROOT, 'fixtures/keys/sp.key.pem'), 'utf8'),
  certificatePem: readFileSync(join(ROOT, 'fixtures/keys/sp.cert.pem'), 'utf8'),
});

export async function admin<T = unknown>(
  sp: RunningSp,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sp.url}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${sp.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A reference SP with workspace `acme` trusting an Okta tenant of the mock IdP, both on real HTTP. */
export interface World {
  sp: RunningSp;
  idp: RunningIdp;
  tenant: Tenant;
  acsUrl: string;
  entityId: string;
  close(): Promise<void>;
}

export async function startWorld(
  opts: {
    dataDir?: string;
    vendor?: string;
    environments?: string[];
    /** Give the IdP app the SP's certificate, so the tenant can encrypt for the SP. */
    spCertificate?: boolean;
    /** ACS checks the reference SP runs without (a deliberately vulnerable SP). */
    disabledAcsChecks?: string[];
    /** How the IdP metadata the SP is first configured from lists the signing key. */
    metadataKey?: MetadataKey;
  } = {},
): Promise<World> {
  const sp = await startSp({
    keyPair: spKeys(),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.disabledAcsChecks ? { disabledAcsChecks: opts.disabledAcsChecks } : {}),
  });
  const idp = await startIdp();
  const created = await admin<{ saml: { entityId: string; acsUrl: string } }>(sp, 'POST', '/workspaces', {
    slug: 'acme',
    environments: opts.environments ?? ['DEV', 'TEST', 'PROD'],
  });
  await admin(sp, 'POST', '/workspaces/acme/roles', { name: 'mktg_ops' });
  const base = loadSetupFile(join(ROOT, `fixtures/setups/${opts.vendor ?? 'okta'}.yaml`));
  const setup: TenantSetup = {
    ...base,
    app: {
      ...base.app,
      ssoUrl: created.body.saml.acsUrl,
      audience: created.body.saml.entityId,
      ...(opts.spCertificate ? { spCertificatePem: spKeys().certificatePem } : {}),
      ...(opts.metadataKey ? { metadataKey: opts.metadataKey } : {}),
    },
  };
  const tenant = new Tenant(setup, () => idp.url);
  idp.tenants.set(setup.tenant, tenant);
  const md = await (await fetch(`${idp.url}/${setup.tenant}/metadata`)).text();
  await admin(sp, 'PUT', '/workspaces/acme/saml', { metadataXml: md, jit: true });
  return {
    sp,
    idp,
    tenant,
    acsUrl: created.body.saml.acsUrl,
    entityId: created.body.saml.entityId,
    async close() {
      await idp.close();
      await sp.close();
    },
  };
}

/** Posts a SAML Response to the ACS as the POST binding would; does not follow the redirect. */
export async function postToAcs(
  world: World,
  xml: string,
  relayState?: string,
): Promise<{ status: number; text: string; location: string | null; cookie: string | null }> {
  const res = await fetch(world.acsUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      SAMLResponse: Buffer.from(xml).toString('base64'),
      ...(relayState ? { RelayState: relayState } : {}),
    }),
  });
  return {
    status: res.status,
    text: await res.text(),
    location: res.headers.get('location'),
    cookie: res.headers.get('set-cookie'),
  };
}

export const errorCodeOf = (html: string): string | undefined =>
  /data-error-code="([A-Z_]+)"/.exec(html)?.[1];
