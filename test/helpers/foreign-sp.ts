import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import express, { type Request, type Response } from 'express';
import saml2 from 'saml2-js';
import { spKeys } from './world.js';

/**
 * "Ledgerly": an SP written apart from the reference SP, for testing the harness against an SP
 * that is not ours. It has its own URL layout (`/t/<tenant>/app`, `/t/<tenant>/app/reports/:id`,
 * `/t/<tenant>/bye`), its own wording ("Welcome back, …"), one tenant per IdP profile trusting
 * one mock IdP tenant each (so target files use `{idp}`), a Single Logout endpoint per binding
 * in its metadata, and three ways to see its state: its SCIM server (roles as RFC 7643 `roles`
 * with the environment as `type`), its own JSON endpoints, and an API shaped like the reference
 * SP's observer API. It verifies responses with saml2-js, as a real SP would, and keeps its
 * state in memory.
 *
 * `wrong: 'roles'` makes it a wrong SP: JIT and SCIM give every new member Admin everywhere,
 * ignoring the role attributes. `wrong: 'keepsDeactivated'` lets a deactivated member keep her
 * session and sign in again.
 */
export interface ForeignSpOptions {
  /** IdP metadata per tenant (okta, onelogin, …), as the SP's admin uploaded it. */
  idps: Record<string, string>;
  wrong?: 'roles' | 'keepsDeactivated';
  /** How the ACS reads a response; default: saml2-js, as configured. test/vulnerable-sps/ plugs flawed readers in. */
  readResponse?: ResponseReader;
  scimToken?: string;
  apiToken?: string;
}

/** What the ACS signs in: the NameID and the attributes (a value or a list per name). */
export interface ReadResponse {
  nameId: string;
  attributes: Record<string, unknown>;
}

/** Reads the ACS's POST body for a tenant; rejects to refuse the response. */
export type ResponseReader = (
  body: Record<string, unknown>,
  tenant: { sp: saml2.ServiceProvider; idp: saml2.IdentityProvider; idpCertificatePem: string },
) => Promise<ReadResponse>;

/** saml2-js's reading: the signature checked with the configured certificate, the audience, the times. */
export const saml2Reader: ResponseReader = (body, t) =>
  new Promise((resolve, reject) =>
    t.sp.post_assert(
      t.idp,
      { request_body: body, allow_unencrypted_assertion: true },
      (err: Error | null, r: saml2.SAMLAssertResponse) =>
        err ? reject(err) : resolve({ nameId: r.user.name_id, attributes: r.user.attributes ?? {} }),
    ),
  );

interface Member {
  id: string;
  email: string;
  name: string;
  active: boolean;
  grants: Record<string, string>;
}

interface Tenant {
  sp: saml2.ServiceProvider;
  idp: saml2.IdentityProvider;
  idpCertificatePem: string;
  members: Map<string, Member>;
  /** Session id → email. */
  sessions: Map<string, string>;
}

const ENVIRONMENTS: Record<string, string> = {
  dev: 'workato_role',
  test: 'workato_role_test',
  prod: 'workato_role_prod',
};
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

function readIdpMetadata(xml: string): { ssoUrl: string; sloUrl?: string; certificate: string } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const sso = doc.getElementsByTagNameNS(MD, 'SingleSignOnService')[0];
  const slo = doc.getElementsByTagNameNS(MD, 'SingleLogoutService')[0];
  const cert = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0];
  return {
    ssoUrl: sso!.getAttribute('Location')!,
    ...(slo ? { sloUrl: slo.getAttribute('Location')! } : {}),
    certificate: cert!.textContent!.replace(/\s+/g, ''),
  };
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><main>${body}</main></body></html>`;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export class ForeignSp {
  readonly url: string;
  readonly scimToken: string;
  readonly apiToken: string;
  /** Which SLO endpoint received each logout message, in order. */
  readonly sloHits: string[] = [];
  private readonly tenants = new Map<string, Tenant>();

  private constructor(
    private readonly server: Server,
    opts: ForeignSpOptions,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.scimToken = opts.scimToken ?? 'ledgerly-scim';
    this.apiToken = opts.apiToken ?? 'ledgerly-api';
    const keys = spKeys();
    for (const [name, xml] of Object.entries(opts.idps)) {
      const md = readIdpMetadata(xml);
      const base = `${this.url}/t/${name}`;
      this.tenants.set(name, {
        sp: new saml2.ServiceProvider({
          entity_id: base,
          assert_endpoint: `${base}/saml/acs`,
          private_key: keys.privateKeyPem,
          certificate: keys.certificatePem,
          allow_unencrypted_assertion: true,
        }),
        idp: new saml2.IdentityProvider({
          sso_login_url: md.ssoUrl,
          sso_logout_url: md.sloUrl ?? md.ssoUrl,
          certificates: [md.certificate],
        }),
        idpCertificatePem: `-----BEGIN CERTIFICATE-----\n${md.certificate.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`,
        members: new Map(),
        sessions: new Map(),
      });
    }
  }

  static async start(opts: ForeignSpOptions): Promise<ForeignSp> {
    const app = express();
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const sp = new ForeignSp(server, opts);
    sp.routes(app, opts);
    return sp;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private grantsFrom(attrs: Record<string, unknown>, wrong: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [env, attr] of Object.entries(ENVIRONMENTS)) {
      const v = attrs[attr];
      const role = Array.isArray(v) ? v[0] : v;
      out[env] = wrong ? 'Admin' : typeof role === 'string' && role ? role : 'Operator';
    }
    return out;
  }

  private routes(app: express.Express, opts: ForeignSpOptions): void {
    const wrong = opts.wrong === 'roles';
    const keepsDeactivated = opts.wrong === 'keepsDeactivated';
    const form = express.urlencoded({ extended: false });
    const tenantOf = (req: Request, res: Response): [string, Tenant] | undefined => {
      const name = String(req.params.t);
      const t = this.tenants.get(name);
      if (!t) res.status(404).send('no such tenant');
      return t ? [name, t] : undefined;
    };
    const who = (req: Request, t: Tenant): string | undefined => {
      const sid = /(?:^|;\s*)lsid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      const email = sid ? t.sessions.get(sid) : undefined;
      return email && (t.members.get(email)?.active || keepsDeactivated) ? email : undefined;
    };
    const home = (name: string) => `${this.url}/t/${name}/app`;

    app.get('/t/:t/saml/metadata', (req, res) => {
      const found = tenantOf(req, res);
      if (!found) return;
      const [name, t] = found;
      const base = `${this.url}/t/${name}`;
      // saml2-js names its ACS as its one SLO endpoint: name one per binding instead, at different URLs.
      const xml = t.sp
        .create_metadata()
        .replace(/<(?:md:)?SingleLogoutService[^>]*\/>/g, '')
        .replace(
          /(<(?:md:)?AssertionConsumerService)/,
          `<SingleLogoutService xmlns="${MD}" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/saml/slo-redirect"/>` +
            `<SingleLogoutService xmlns="${MD}" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${base}/saml/slo-post"/>$1`,
        );
      res.type('application/xml').send(xml);
    });

    const protectedPage = (req: Request, res: Response, title: string) => {
      const found = tenantOf(req, res);
      if (!found) return;
      const [, t] = found;
      const email = who(req, t);
      if (email)
        return void res.send(page(title, `<h1>${esc(title)}</h1><p>Welcome back, ${esc(email)}</p>`));
      t.sp.create_login_request_url(
        t.idp,
        { relay_state: `${this.url}${req.originalUrl}` },
        (err: Error | null, url: string) =>
          err ? res.status(500).send(err.message) : res.redirect(302, url),
      );
    };
    app.get('/t/:t/app', (req, res) => protectedPage(req, res, 'Ledger'));
    app.get('/t/:t/app/reports/:id', (req, res) =>
      protectedPage(req, res, `Report ${String(req.params.id)}`),
    );
    app.get(
      '/t/:t/bye',
      (_req, res) => void res.send(page('Goodbye', '<p>You are signed out of Ledgerly.</p>')),
    );

    app.post('/t/:t/saml/acs', form, (req, res) => {
      const found = tenantOf(req, res);
      if (!found) return;
      const [name, t] = found;
      (opts.readResponse ?? saml2Reader)(req.body as Record<string, unknown>, t).then(
        (r) => {
          const attrs = r.attributes;
          const first = (k: string) =>
            (Array.isArray(attrs[k]) ? (attrs[k] as string[])[0] : attrs[k]) as string | undefined;
          const email = (first('workato_email') ?? r.nameId).toLowerCase();
          if (!t.members.has(email))
            t.members.set(email, {
              id: randomBytes(6).toString('hex'),
              email,
              name: first('workato_full_name') ?? email,
              active: true,
              grants: this.grantsFrom(attrs, wrong),
            });
          if (!t.members.get(email)!.active && !keepsDeactivated)
            return void res.status(403).send(page('Ledgerly', '<p>Your access was removed.</p>'));
          const sid = randomBytes(12).toString('hex');
          t.sessions.set(sid, email);
          const relay = typeof req.body.RelayState === 'string' ? req.body.RelayState : '';
          const target = relay.startsWith(`${this.url}/t/${name}/`) ? relay : home(name);
          res.setHeader('set-cookie', `lsid=${sid}; Path=/t/${name}; HttpOnly`);
          res.redirect(303, target);
        },
        () => void res.status(400).send(page('Ledgerly', `<p>We could not sign you in.</p>`)),
      );
    });

    const logout = (binding: 'redirect' | 'post') => (req: Request, res: Response) => {
      const found = tenantOf(req, res);
      if (!found) return;
      const [name, t] = found;
      this.sloHits.push(`${name}:${binding}`);
      const body = (binding === 'post' ? req.body : req.query) as Record<string, unknown>;
      const done = (err: Error | null, m: saml2.SAMLAssertResponse & { type?: string; name_id?: string }) => {
        if (err) return void res.status(400).send(page('Ledgerly', '<p>Bad logout message.</p>'));
        if (m.type === 'logout_response') return void res.redirect(303, `${this.url}/t/${name}/bye`);
        const who = m.name_id?.toLowerCase();
        for (const [sid, email] of t.sessions) if (email === who) t.sessions.delete(sid);
        t.sp.create_logout_response_url(
          t.idp,
          { in_response_to: m.response_header.id, sign_get_request: true },
          (e: Error | null, url: string) => (e ? res.status(500).send(e.message) : res.redirect(302, url)),
        );
      };
      if (binding === 'post') t.sp.post_assert(t.idp, { request_body: body }, done);
      else t.sp.redirect_assert(t.idp, { request_body: body }, done);
    };
    app.get('/t/:t/saml/slo-redirect', logout('redirect'));
    app.post('/t/:t/saml/slo-post', form, logout('post'));

    // Its own JSON endpoints (read by a target file's observer mapping).
    const api = (req: Request, res: Response): Tenant | undefined => {
      if (req.headers.authorization !== `Bearer ${this.apiToken}`)
        return void res.status(401).json({ error: 'token' });
      return tenantOf(req, res)?.[1];
    };
    app.get('/t/:t/internal/people', (req, res) => {
      const t = api(req, res);
      if (!t) return;
      res.json({
        data: [...t.members.values()].map((m) => ({
          mail: m.email,
          fullName: m.name,
          state: m.active ? 'enabled' : 'disabled',
          grants: m.grants,
        })),
      });
    });
    app.get('/t/:t/internal/logins', (req, res) => {
      const t = api(req, res);
      if (!t) return;
      res.json({ sessions: [...t.sessions.values()].map((email) => ({ who: { mail: email } })) });
    });
    // An observer API shaped like the reference SP's, the workspace being the tenant.
    app.get('/api/admin/workspaces/:t/:what', (req, res) => {
      const t = api(req, res);
      if (!t) return;
      const what = String(req.params.what);
      if (what === 'members')
        return void res.json(
          [...t.members.values()].map((m) => ({
            email: m.email,
            name: m.name,
            status: m.active ? 'active' : 'deactivated',
            roles: { DEV: m.grants.dev, TEST: m.grants.test, PROD: m.grants.prod },
          })),
        );
      if (what === 'sessions') return void res.json([...t.sessions.values()].map((email) => ({ email })));
      if (what === 'audit') return void res.json([]);
      res.status(404).json({ error: 'unknown' });
    });

    this.scimRoutes(app, wrong);
  }

  /** A small SCIM 2.0 Users endpoint (RFC 7644 §3): the parts the IdPs' provisioning and the harness's observer use. */
  private scimRoutes(app: express.Express, wrong: boolean): void {
    const json = express.json({ type: ['application/json', 'application/scim+json'] });
    const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
    const fail = (res: Response, status: number, scimType?: string) =>
      res
        .status(status)
        .json({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}) });
    const tenant = (req: Request, res: Response): Tenant | undefined => {
      if (req.headers.authorization !== `Bearer ${this.scimToken}`) return void fail(res, 401);
      const t = this.tenants.get(String(req.params.t));
      if (!t) return void fail(res, 404);
      return t;
    };
    const resource = (m: Member) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: m.id,
      userName: m.email,
      displayName: m.name,
      active: m.active,
      emails: [{ value: m.email, primary: true }],
      roles: Object.entries(m.grants).map(([env, role]) => ({ value: role, type: env.toUpperCase() })),
    });
    const rolesFrom = (body: Record<string, unknown>): Record<string, string> => {
      const ext = Object.entries(body).find(([k]) => k.includes('WorkatoRole'))?.[1] as
        Record<string, string> | undefined;
      const out: Record<string, string> = {};
      for (const [env, attr] of Object.entries(ENVIRONMENTS))
        out[env] = wrong ? 'Admin' : (ext?.[attr] ?? 'Operator');
      return out;
    };
    const byId = (t: Tenant, id: string) => [...t.members.values()].find((m) => m.id === id);
    const base = '/t/:t/scim/v2';

    app.get(`${base}/Users`, (req, res) => {
      const t = tenant(req, res);
      if (!t) return;
      let all = [...t.members.values()];
      const filter = typeof req.query.filter === 'string' ? req.query.filter : undefined;
      if (filter) {
        const m = /^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
        if (!m) return void fail(res, 400, 'invalidFilter');
        all = all.filter((x) => x.email === m[1]!.replace(/\\(.)/g, '$1').toLowerCase());
      }
      const start = Math.max(1, Number(req.query.startIndex ?? 1));
      const count = Math.max(0, Number(req.query.count ?? 100));
      const pageOf = all.slice(start - 1, start - 1 + count);
      res.json({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: all.length,
        startIndex: start,
        itemsPerPage: pageOf.length,
        Resources: pageOf.map(resource),
      });
    });
    app.post(`${base}/Users`, json, (req, res) => {
      const t = tenant(req, res);
      if (!t) return;
      const b = req.body as Record<string, unknown>;
      const email = String(b.userName ?? '').toLowerCase();
      if (!email) return void fail(res, 400, 'invalidValue');
      if (t.members.has(email)) return void fail(res, 409, 'uniqueness');
      const name = (b.displayName as string) ?? (b.name as { formatted?: string })?.formatted ?? email;
      const m: Member = {
        id: randomBytes(6).toString('hex'),
        email,
        name,
        active: b.active !== false,
        grants: rolesFrom(b),
      };
      t.members.set(email, m);
      res.status(201).json(resource(m));
    });
    app.get(`${base}/Users/:id`, (req, res) => {
      const t = tenant(req, res);
      if (!t) return;
      const m = byId(t, String(req.params.id));
      if (!m) return void fail(res, 404);
      res.json(resource(m));
    });
    const activeValue = (v: unknown) => !(v === false || String(v).toLowerCase() === 'false');
    app.put(`${base}/Users/:id`, json, (req, res) => {
      const t = tenant(req, res);
      if (!t) return;
      const m = byId(t, String(req.params.id));
      if (!m) return void fail(res, 404);
      const b = req.body as Record<string, unknown>;
      if (b.active !== undefined) m.active = activeValue(b.active);
      res.json(resource(m));
    });
    app.patch(`${base}/Users/:id`, json, (req, res) => {
      const t = tenant(req, res);
      if (!t) return;
      const m = byId(t, String(req.params.id));
      if (!m) return void fail(res, 404);
      for (const op of (req.body as { Operations?: { path?: string; value?: unknown }[] }).Operations ?? []) {
        if (op.path?.toLowerCase() === 'active') m.active = activeValue(op.value);
        else if (!op.path && op.value && typeof op.value === 'object' && 'active' in op.value)
          m.active = activeValue((op.value as { active: unknown }).active);
      }
      res.json(resource(m));
    });
    app.delete(`${base}/Users/:id`, (req, res) => {
      const t = tenant(req, res);
      if (!t) return;
      const m = byId(t, String(req.params.id));
      if (!m) return void fail(res, 404);
      t.members.delete(m.email);
      res.status(204).end();
    });
  }
}
