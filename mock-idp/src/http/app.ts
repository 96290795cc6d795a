import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { IDP_DEFAULTS } from '../config.js';
import {
  armMutation,
  armedMutation,
  deliverResponse,
  describeCatalogue,
  disarmMutation,
} from '../attacks/index.js';
import { IdpError } from '../errors.js';
import { decodeSamlRequest, parseAuthnRequest, type AuthnRequest } from '../saml/authn-request.js';
import { checkSetup } from '../setup.js';
import { Tenant } from '../tenant.js';
import { carriesToken, sameSecret } from './credentials.js';
import { errorPage, loginPage, postBindingPage } from './html.js';
import { createSlo, rawQueryOf } from '../saml/slo-routes.js';
import { scimRoutes } from '../scim/routes.js';
import { hasScimState, scimStateOf } from '../scim/state.js';
import { consoleRoutes } from '../console/routes.js';

interface PendingLogin {
  tenant: string;
  request: AuthnRequest | undefined;
  relayState: string | undefined;
  createdAt: number;
}

export interface IdpState {
  tenants: Map<string, Tenant>;
  config: typeof IDP_DEFAULTS & { adminToken: string };
  baseUrl: () => string;
  now: () => Date;
}

const cookieName = (tenant: string) => `idp_session_${tenant.replace(/[^a-z0-9]/g, '_')}`;

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function createIdpApp(state: IdpState): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const pending = new Map<string, PendingLogin>();
  const sessions = new Map<string, { tenant: string; login: string; expires: number }>();
  const form = express.urlencoded({ extended: false, limit: '256kb' });

  const tenantOf = (req: Request): Tenant => {
    const t = state.tenants.get(String(req.params.tenant));
    if (!t) throw new IdpError('ERR_NO_TENANT', String(req.params.tenant), 404);
    return t;
  };

  const addPending = (p: PendingLogin): string => {
    const id = randomBytes(16).toString('base64url');
    const cutoff = Date.now() - state.config.pendingLoginTtlMs;
    for (const [k, v] of pending) {
      if (v.createdAt >= cutoff && pending.size < state.config.maxPendingLogins) break;
      pending.delete(k);
    }
    pending.set(id, p);
    return id;
  };

  const sessionUser = (req: Request, tenant: Tenant): string | undefined => {
    const sid = readCookie(req, cookieName(tenant.name));
    const s = sid ? sessions.get(sid) : undefined;
    if (!s || s.tenant !== tenant.name || s.expires < Date.now()) return undefined;
    return s.login;
  };

  const slo = createSlo({
    tenant: tenantOf,
    sessionUser,
    endSessions: (tenant, login) => {
      const l = login.toLowerCase();
      for (const [sid, s] of sessions) {
        if (s.tenant === tenant.name && s.login.toLowerCase() === l) sessions.delete(sid);
      }
    },
    now: state.now,
  });

  /** Checks an AuthnRequest against the app's configuration, as the vendor's console settings would. */
  const admit = (tenant: Tenant, request: AuthnRequest) => {
    const appCfg = tenant.setup.app;
    if (request.issuer !== appCfg.audience) throw new IdpError('ERR_AUTHN_REQUEST_ISSUER', request.issuer);
    if (request.acsUrl && request.acsUrl !== appCfg.ssoUrl)
      throw new IdpError('ERR_AUTHN_REQUEST_ACS', request.acsUrl);
    if (request.destination && request.destination !== tenant.ssoUrl) {
      throw new IdpError('ERR_AUTHN_REQUEST_DESTINATION', request.destination);
    }
  };

  const answer = (res: Response, tenant: Tenant, login: string, p: PendingLogin) => {
    const user = tenant.user(login);
    if (!user) throw new IdpError('ERR_BAD_CREDENTIALS', undefined, 401);
    // Vendors sign in neither users removed from the app nor users deprovisioned in the directory.
    if (!tenant.setup.app.ssoAfterDeprovisioning) {
      if (user.assigned === false) throw new IdpError('ERR_USER_NOT_ASSIGNED', login, 403);
      const status = hasScimState(tenant)
        ? scimStateOf(tenant).links.get(user.login.toLowerCase())?.status
        : undefined;
      if (status && status !== 'active')
        throw new IdpError('ERR_USER_DEPROVISIONED', `${login} (${status})`, 403);
    }
    const acsUrl = tenant.setup.app.ssoUrl;
    tenant.checkAcs(acsUrl);
    const samlResponse = deliverResponse(tenant, user, p.request?.id, acsUrl, state.now());
    slo.recordIssued(tenant, user.login, samlResponse);
    res.type('html').send(
      postBindingPage(acsUrl, {
        SAMLResponse: samlResponse,
        RelayState: p.relayState ?? tenant.setup.app.defaultRelayState,
      }),
    );
  };

  const showLogin = (
    res: Response,
    tenant: Tenant,
    pendingId: string,
    error?: IdpError,
    selected?: string,
  ) => {
    res
      .status(error ? error.status : 200)
      .type('html')
      .send(
        loginPage({
          vendor: tenant.profile.displayName,
          tenant: tenant.name,
          action: `/${tenant.name}/login`,
          pending: pendingId,
          users: tenant.setup.users.map((u) => ({
            login: u.login,
            label: [u.profile?.firstName, u.profile?.lastName].filter(Boolean).join(' ')
              ? `${[u.profile?.firstName, u.profile?.lastName].filter(Boolean).join(' ')} <${u.login}>`
              : u.login,
          })),
          ...(selected ? { selected } : {}),
          ...(error ? { error: { code: error.code, message: error.message } } : {}),
        }),
      );
  };

  const startLogin = (
    req: Request,
    res: Response,
    request: AuthnRequest | undefined,
    relayState: string | undefined,
  ) => {
    const tenant = tenantOf(req);
    if (request) admit(tenant, request);
    const p: PendingLogin = { tenant: tenant.name, request, relayState, createdAt: Date.now() };
    const known = request?.forceAuthn ? undefined : sessionUser(req, tenant);
    if (known) return answer(res, tenant, known, p);
    showLogin(res, tenant, addPending(p));
  };

  app.get('/:tenant/metadata', (req, res) => {
    res.type('application/samlmetadata+xml').send(tenantOf(req).metadataXml());
  });

  app.get('/:tenant/sso', (req, res) => {
    const xml = decodeSamlRequest(req.query.SAMLRequest, 'redirect');
    const request = parseAuthnRequest(xml);
    tenantOf(req).checkRequestSignature('redirect', { rawQuery: rawQueryOf(req), xml });
    startLogin(
      req,
      res,
      request,
      typeof req.query.RelayState === 'string' ? req.query.RelayState : undefined,
    );
  });

  app.post('/:tenant/sso', form, (req, res) => {
    const xml = decodeSamlRequest(req.body?.SAMLRequest, 'post');
    const request = parseAuthnRequest(xml);
    tenantOf(req).checkRequestSignature('post', { rawQuery: '', xml });
    startLogin(req, res, request, typeof req.body?.RelayState === 'string' ? req.body.RelayState : undefined);
  });

  const idpInitiated = (req: Request, res: Response) => {
    const relay = req.query.RelayState ?? req.body?.RelayState;
    startLogin(req, res, undefined, typeof relay === 'string' ? relay : undefined);
  };
  app.get('/:tenant/init', idpInitiated);
  app.post('/:tenant/init', form, idpInitiated);

  app.post('/:tenant/login', form, (req, res) => {
    const tenant = tenantOf(req);
    const pendingId = String(req.body?.pending ?? '');
    const p = pending.get(pendingId);
    if (!p || p.tenant !== tenant.name || p.createdAt + state.config.pendingLoginTtlMs < Date.now()) {
      throw new IdpError('ERR_LOGIN_EXPIRED', undefined, 400);
    }
    const login = String(req.body?.username ?? '');
    const password = String(req.body?.password ?? '');
    const user = tenant.user(login);
    const ok = user !== undefined && sameSecret(password, user.password);
    if (!ok)
      return showLogin(res, tenant, pendingId, new IdpError('ERR_BAD_CREDENTIALS', undefined, 401), login);
    pending.delete(pendingId);
    tenant.noteSignIn(user.login, state.now());
    const sid = randomBytes(24).toString('base64url');
    sessions.set(sid, {
      tenant: tenant.name,
      login: user.login,
      expires: Date.now() + state.config.idpSessionTtlMs,
    });
    res.append(
      'Set-Cookie',
      `${cookieName(tenant.name)}=${sid}; Path=/${tenant.name}; HttpOnly; SameSite=Lax`,
    );
    answer(res, tenant, user.login, p);
  });

  // Admin API: tenants can be added, replaced, read and removed at runtime.
  app.use('/api/admin', (req, res, next) => {
    if (!carriesToken(req, state.config.adminToken)) {
      return void res
        .status(401)
        .json({ error: { code: 'ERR_ADMIN_TOKEN', message: 'a valid admin bearer token is required' } });
    }
    next();
  });
  app.use('/api/admin', express.json({ limit: '2mb' }));
  app.get('/api/admin/tenants', (_req, res) => {
    res.json(
      [...state.tenants.values()].map((t) => ({
        tenant: t.name,
        vendor: t.profile.id,
        entityId: t.entityId,
      })),
    );
  });
  app.put('/api/admin/tenants/:tenant', (req, res) => {
    const setup = checkSetup(req.body, 'body');
    if (setup.tenant !== req.params.tenant)
      throw new IdpError('ERR_BAD_SETUP', 'tenant in the body differs from the URL');
    const tenant = new Tenant(setup, state.baseUrl);
    state.tenants.set(setup.tenant, tenant);
    res.json({
      tenant: tenant.name,
      vendor: tenant.profile.id,
      entityId: tenant.entityId,
      ssoUrl: tenant.ssoUrl,
      metadataUrl: `${state.baseUrl()}/${tenant.name}/metadata`,
      initUrl: `${state.baseUrl()}/${tenant.name}/init`,
      logoutUrl: `${state.baseUrl()}/${tenant.name}/logout`,
      sloUrl: tenant.sloUrl,
      certificatePem: tenant.certificatePem,
      warnings: tenant.warnings,
    });
  });
  app.get('/api/admin/tenants/:tenant', (req, res) => {
    const t = tenantOf(req);
    res.json({ ...t.setup, signingKey: { certificatePem: t.certificatePem } });
  });
  // The attack catalogue (src/attacks/): list it, and arm one mutation for a tenant's next response.
  app.get('/api/admin/attacks', (_req, res) => {
    res.json(describeCatalogue());
  });
  app.get('/api/admin/tenants/:tenant/next-mutation', (req, res) => {
    const t = tenantOf(req);
    res.json({ tenant: t.name, mutation: armedMutation(t) ?? null });
  });
  app.put('/api/admin/tenants/:tenant/next-mutation', (req, res) => {
    const t = tenantOf(req);
    const body = (req.body ?? {}) as { mutation?: unknown; victim?: unknown };
    const id = body.mutation;
    if (typeof id !== 'string') throw new IdpError('ERR_NO_MUTATION', 'give {"mutation": "saml.reject.…"}');
    armMutation(t, id, typeof body.victim === 'string' ? { victim: body.victim } : {});
    res.json({
      tenant: t.name,
      mutation: id,
      signedAssertionKept: describeCatalogue().find((m) => m.id === id)?.signedAssertionKept === true,
      wholeSignedTextAllowed: describeCatalogue().find((m) => m.id === id)?.wholeSignedTextAllowed === true,
      ...(typeof body.victim === 'string' ? { victim: body.victim } : {}),
    });
  });
  app.delete('/api/admin/tenants/:tenant/next-mutation', (req, res) => {
    disarmMutation(tenantOf(req));
    res.status(204).end();
  });
  app.delete('/api/admin/tenants/:tenant', (req, res) => {
    const name = String(req.params.tenant);
    state.tenants.delete(name);
    // Nothing of a removed tenant stays behind: its sessions, unfinished sign-ins and SLO records.
    for (const [sid, s] of sessions) if (s.tenant === name) sessions.delete(sid);
    for (const [id, p] of pending) if (p.tenant === name) pending.delete(id);
    slo.forgetTenant(name);
    res.status(204).end();
  });
  app.use(
    consoleRoutes({
      tenants: state.tenants,
      adminToken: state.config.adminToken,
      sessionTtlMs: state.config.idpSessionTtlMs,
    }),
  );
  app.use(scimRoutes(state));

  app.use(slo.router);

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e =
      err instanceof IdpError
        ? err
        : (err as { status?: number }).status && (err as { status: number }).status < 500
          ? new IdpError(
              'ERR_AUTHN_REQUEST_MALFORMED',
              (err as Error).message,
              (err as { status: number }).status,
            )
          : undefined;
    if (!e) {
      console.error('mock-idp: unexpected error', err);
      return void res.status(500).type('text').send('internal error');
    }
    if (req.path.startsWith('/api/admin'))
      return void res.status(e.status).json({ error: { code: e.code, message: e.message } });
    const vendor = state.tenants.get(String(req.params.tenant ?? ''))?.profile.displayName ?? 'IdP';
    res
      .status(e.status)
      .type('html')
      .send(errorPage(vendor, e.code, e.message));
  });
  return app;
}
