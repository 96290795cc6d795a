import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import {
  availableProfiles,
  loadSetupFile,
  startIdp,
  type RunningIdp,
  type TenantSetup,
} from '../../../mock-idp/src/index.js';
import { startSp, type RunningSp } from '../../../sp-under-test/src/index.js';
import { requestJson } from '../env/clients.js';
import { MailCatcher } from '../env/mail-catcher.js';
import { FIXTURES_DIR } from '../paths.js';
import { guideFor } from './guides.js';
import { LiveEvents } from './live.js';
import { ScimLog } from './scim-log.js';
import { mailboxPage, spAdminPage, scimLogPage, startPage, type Demo, type ServeContext } from './pages.js';

/** Every default of `idp-harness serve`, in one place. */
export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  /** The start page's port; 0 picks a free one. */
  port: 0,
  spPort: 0,
  idpPort: 0,
  smtpPort: 0,
  /** Environments of each demo workspace, and the custom role the setups give. */
  environments: ['DEV', 'TEST', 'PROD'],
  customRoles: ['mktg_ops'],
};

export type ServeOptions = Partial<typeof SERVE_DEFAULTS> & {
  adminToken?: string;
  dataDir?: string;
  /** A guided demo's case: the demo starts from the state that case starts from. */
  scenario?: string;
};

export interface RunningServe {
  url: string;
  sp: RunningSp;
  idp: RunningIdp;
  mail: MailCatcher;
  demos: Demo[];
  prepared?: { case: string; note: string };
  close(): Promise<void>;
}

/**
 * For demos and manual QA: the mock IdP with one tenant per vendor profile, the reference SP
 * with one workspace trusting each tenant (JIT on, SCIM token issued and the tenant's SCIM
 * connection pointed at it through a logging proxy), an SMTP mail catcher the SP sends through,
 * and a start page that links everything. All on loopback unless told otherwise.
 */
export async function startServe(options: ServeOptions = {}): Promise<RunningServe> {
  const o = {
    ...SERVE_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as typeof SERVE_DEFAULTS & ServeOptions;
  const guide = o.scenario === undefined ? undefined : guideFor(o.scenario);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const mail = await MailCatcher.start({ host: o.host, port: o.smtpPort });
    closers.push(() => mail.close());
    const sp = await startSp({
      host: o.host,
      port: o.spPort,
      adminToken: o.adminToken ?? randomBytes(18).toString('base64url'),
      smtp: { host: mail.host, port: mail.port },
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    });
    closers.push(() => sp.close());
    const spAdmin = async <T>(method: string, path: string, body?: unknown) => {
      const r = await requestJson<T>(
        'reference SP admin API',
        method,
        `${sp.url}/api/admin${path}`,
        sp.adminToken,
        body,
      );
      if (r.status >= 400)
        throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    };

    // The start page's server comes first: the SCIM logging proxy lives on it.
    const app = express();
    const workspaces: string[] = [];
    const live = new LiveEvents(async () => {
      const parts = await Promise.all(
        workspaces.flatMap((ws) =>
          ['members', 'sessions', 'audit'].map((p) => spAdmin('GET', `/workspaces/${ws}/${p}`)),
        ),
      );
      return JSON.stringify(parts);
    });
    closers.push(async () => live.close());
    const scimLog = new ScimLog(sp.url, (e) => live.publish('scim', { seq: e.seq }));
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(o.port, o.host, () => resolve(s));
      s.once('error', reject);
    });
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );
    const addr = server.address() as AddressInfo;
    const url = `http://${o.host}:${addr.port}`;

    // The SP signs its AuthnRequests and logout messages with this key pair (written on first start).
    const spCertificate = readFileSync(join(sp.dataDir, 'sp.cert.pem'), 'utf8');
    const vendors = availableProfiles().filter((v) => ['okta', 'onelogin', 'entra', 'google'].includes(v));
    const setups: TenantSetup[] = [];
    const demos: Demo[] = [];
    for (const vendor of vendors) {
      const ws = vendor;
      workspaces.push(ws);
      const created = await spAdmin<{ saml: { entityId: string; acsUrl: string } }>('POST', '/workspaces', {
        slug: ws,
        name: `Acme (${vendor})`,
        environments: o.environments,
      });
      for (const role of o.customRoles) await spAdmin('POST', `/workspaces/${ws}/roles`, { name: role });
      const token = await spAdmin<{ token: string }>('POST', `/workspaces/${ws}/scim-tokens`);
      const base = loadSetupFile(join(FIXTURES_DIR, 'setups', `${vendor}.yaml`));
      setups.push({
        ...base,
        app: {
          ...base.app,
          ssoUrl: created.saml.acsUrl,
          audience: created.saml.entityId,
          // So that "Sign out" on either side is a real Single Logout (where the vendor has one).
          sloUrl: `${sp.url}/saml/${ws}/slo`,
          spCertificatePem: spCertificate,
        },
      });
      demos.push({
        vendor,
        workspace: ws,
        tenant: base.tenant,
        scimToken: token.token,
        users: base.users.map((u) => u.login),
      });
    }
    const idp = await startIdp({ host: o.host, port: o.idpPort, setups });
    closers.push(() => idp.close());
    for (const d of demos) {
      const metadataXml = await (await fetch(`${idp.url}/${d.tenant}/metadata`)).text();
      await spAdmin('PUT', `/workspaces/${d.workspace}/saml`, {
        metadataXml,
        jit: true,
        allowIdpInitiated: true,
      });
      const scim = await requestJson<{ error?: { message?: string } }>(
        'mock IdP admin API',
        'PUT',
        `${idp.url}/api/admin/tenants/${d.tenant}/scim`,
        idp.adminToken,
        { baseUrl: `${url}/scim-proxy/v2`, token: d.scimToken },
      );
      d.scim =
        scim.status < 300 ? 'connected' : (scim.body?.error?.message ?? `SCIM answered ${scim.status}`);
    }

    const ctx: ServeContext = { url, sp, idp, mail, demos, scimLog };
    app.use(
      '/scim-proxy',
      express.raw({ type: () => true, limit: '2mb' }),
      (req, res) => void scimLog.forward(req, res),
    );
    app.get('/events', (req, res) => live.open(req, res));
    app.get('/', (_req, res) => void res.type('html').send(startPage(ctx)));
    app.get('/mail', (_req, res) => void res.type('html').send(mailboxPage(ctx)));
    app.get('/mail.json', (_req, res) => void res.json(mail.all()));
    app.get('/scim-log', (_req, res) => void res.type('html').send(scimLogPage(ctx)));
    app.get('/scim-log.json', (_req, res) => void res.json(scimLog.entries));
    app.get('/sp/:ws', async (req, res) => {
      const ws = String(req.params.ws);
      const get = (p: string) =>
        spAdmin<unknown[]>('GET', `/workspaces/${encodeURIComponent(ws)}/${p}`).catch(() => null);
      const [members, sessions, audit] = await Promise.all([get('members'), get('sessions'), get('audit')]);
      if (!members) return void res.status(404).type('html').send(`no workspace ${ws}`);
      res.type('html').send(spAdminPage(ctx, ws, { members, sessions: sessions ?? [], audit: audit ?? [] }));
    });
    if (guide) {
      const demo = (vendor: string) => demos.find((d) => d.vendor === vendor)!;
      const note = await guide.prepare({
        spUrl: sp.url,
        idpUrl: idp.url,
        idpAdminToken: idp.adminToken,
        mail,
        demo,
        password: (vendor, login) =>
          setups.find((s) => s.tenant === demo(vendor).tenant)!.users.find((u) => u.login === login)
            ?.password ?? '',
      });
      ctx.prepared = { case: guide.case, note };
    }
    return { url, sp, idp, mail, demos, ...(ctx.prepared ? { prepared: ctx.prepared } : {}), close };
  } catch (e) {
    await close();
    throw e;
  }
}
