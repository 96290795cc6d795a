import { join } from 'node:path';
import { MailCatcher } from '../../harness/src/env/mail-catcher.js';
import { loadSetupFile, type TenantSetup } from '../../mock-idp/src/index.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';
import { ROOT, admin, spKeys } from '../helpers/world.js';

/**
 * A reference SP sending mail to a real SMTP catcher, with any number of workspaces of one
 * organisation, each trusting its own app of one Okta directory (minted in-process by the
 * mock IdP's tenant code, posted to the ACS over real HTTP).
 */
export interface SpWorld {
  sp: RunningSp;
  mail: MailCatcher;
  tenants: Record<string, Tenant>;
  close(): Promise<void>;
}

export async function startSpWorld(
  workspaces: { slug: string; environments?: string[]; saml?: Record<string, unknown> }[],
  opts: { dataDir?: string; smtp?: { host: string; port: number } } = {},
): Promise<SpWorld> {
  const mail = await MailCatcher.start();
  const sp = await startSp({
    keyPair: spKeys(),
    smtp: opts.smtp ?? { host: mail.host, port: mail.port },
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  });
  const base = loadSetupFile(join(ROOT, 'fixtures/setups/okta.yaml'));
  const tenants: Record<string, Tenant> = {};
  for (const w of workspaces) {
    const created = await admin<{ saml: { entityId: string; acsUrl: string } }>(sp, 'POST', '/workspaces', {
      slug: w.slug,
      name: w.slug.toUpperCase(),
      organisation: 'acme-corp',
      environments: w.environments ?? ['DEV'],
    });
    await admin(sp, 'POST', `/workspaces/${w.slug}/roles`, { name: 'mktg_ops' });
    const setup: TenantSetup = {
      ...base,
      tenant: `okta-${w.slug}`,
      app: { ...base.app, ssoUrl: created.body.saml.acsUrl, audience: created.body.saml.entityId },
    };
    const tenant = new Tenant(setup, () => 'http://127.0.0.1:1');
    tenants[w.slug] = tenant;
    await admin(sp, 'PUT', `/workspaces/${w.slug}/saml`, {
      metadataXml: tenant.metadataXml(),
      jit: true,
      ...w.saml,
    });
  }
  return {
    sp,
    mail,
    tenants,
    async close() {
      await sp.close();
      await mail.close();
    },
  };
}

/** A cookie jar of one: name → value, filled from Set-Cookie headers. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
  ): Promise<{ status: number; text: string; location: string | null; setCookies: string[] }> {
    const res = await fetch(path.startsWith('http') ? path : this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        cookie: this.header(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form) : undefined,
    });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/Max-Age=0/.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), setCookies };
  }

  /** Posts a SAML Response for `login` minted by `tenant` to the workspace's ACS. */
  async sso(world: SpWorld, slug: string, login: string, relayState?: string) {
    const tenant = world.tenants[slug]!;
    const user = tenant.user(login)!;
    const xml = tenant.respond(user, undefined, `${world.sp.url}/saml/${slug}/acs`, new Date()).xml;
    return this.request('POST', `/saml/${slug}/acs`, {
      SAMLResponse: Buffer.from(xml).toString('base64'),
      ...(relayState ? { RelayState: relayState } : {}),
    });
  }
}

export const errorCode = (html: string): string | undefined => /data-error-code="([A-Z_]+)"/.exec(html)?.[1];
