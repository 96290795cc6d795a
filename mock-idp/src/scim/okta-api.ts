import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { carriesToken } from '../http/credentials.js';
import type { SetupUser } from '../setup.js';
import type { Tenant } from '../tenant.js';
import { deprovision, oktaEngine, provision, pushProfile } from './engines/okta.js';
import { governingGroup, individuallyAssigned, takeGroupValues } from './engines/okta-assignments.js';
import { scimStateOf, type TenantScim } from './state.js';

/**
 * The subset of Okta's management API (developer.okta.com/docs/reference/api/users, apps) that
 * Okta's SCIM CRUD test and seed 002's walkthrough use, at `/:tenant/api/v1`. Changes that
 * Okta provisions to the app are queued on the tenant's engine, as Okta does asynchronously.
 */
const OKTA_STATUS = { active: 'ACTIVE', suspended: 'SUSPENDED', deactivated: 'DEPROVISIONED' } as Record<
  string,
  string
>;

class OktaApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export function oktaApiRoutes(tenants: Map<string, Tenant>): Router {
  const r = express.Router({ mergeParams: true });
  const json = express.json({ limit: '1mb' });

  const ctx = (req: Request): { tenant: Tenant; t: TenantScim } => {
    const tenant = tenants.get(String(req.params.tenant));
    if (!tenant || tenant.profile.id !== 'okta')
      throw new OktaApiError(404, 'E0000007', 'Not found: Resource not found');
    const t = scimStateOf(tenant);
    if (!carriesToken(req, t.apiToken, 'SSWS'))
      throw new OktaApiError(401, 'E0000011', 'Invalid token provided');
    return { tenant, t };
  };

  const byId = (t: TenantScim, id: string): SetupUser => {
    const u = t.users().find((x) => t.link(x).vendorId === id || x.login.toLowerCase() === id.toLowerCase());
    if (!u) throw new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${id} (User)`);
    return u;
  };

  const appOf = (tenant: Tenant, appId: string) => {
    const id = tenant.setup.orgId ?? tenant.name;
    if (appId !== id)
      throw new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${appId} (AppInstance)`);
    return id;
  };

  const userJson = (t: TenantScim, u: SetupUser) => {
    const link = t.link(u);
    return {
      id: link.vendorId,
      status: OKTA_STATUS[link.status] ?? 'ACTIVE',
      profile: { login: u.login, email: u.login, ...u.profile },
      credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
      _links: {},
    };
  };

  const appUserJson = (t: TenantScim, u: SetupUser) => ({
    id: t.link(u).vendorId,
    scope: t.link(u).scope ?? 'USER',
    status: t.link(u).scimId ? 'PROVISIONED' : 'STAGED',
    syncState: t.link(u).scimId ? 'SYNCHRONIZED' : 'PENDING',
    credentials: { userName: String(u.appUser?.userName ?? u.login) },
    profile: u.appUser ?? {},
    _links: {},
  });

  /** Queues provisioning work and does not wait, as Okta answers before it provisions. */
  const later = (t: TenantScim, name: string, job: () => Promise<unknown>) =>
    void t.enqueue(name, job).catch(() => undefined);

  const base = '/:tenant/api/v1';
  r.get(`${base}/apps/:appId`, (req, res) => {
    const { tenant } = ctx(req);
    const id = appOf(tenant, String(req.params.appId));
    res.json({
      id,
      name: tenant.setup.app.name ?? 'workato',
      label: tenant.setup.app.name ?? 'Workato',
      status: 'ACTIVE',
      signOnMode: 'SAML_2_0',
      features: [
        'PUSH_NEW_USERS',
        'PUSH_PROFILE_UPDATES',
        'PUSH_USER_DEACTIVATION',
        'REACTIVATE_USERS',
        'IMPORT_NEW_USERS',
      ],
    });
  });

  r.post(`${base}/users`, json, (req, res) => {
    const { t } = ctx(req);
    const body = (req.body ?? {}) as {
      profile?: Record<string, unknown>;
      credentials?: { password?: { value?: string } };
    };
    const login = body.profile?.login;
    if (typeof login !== 'string' || !login)
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: login');
    if (t.user(login))
      throw new OktaApiError(
        400,
        'E0000001',
        'Api validation failed: login: An object with this field already exists',
      );
    const u: SetupUser = {
      login,
      password: body.credentials?.password?.value ?? 'Okta-Api-1!',
      assigned: false,
      profile: { ...body.profile },
    };
    t.users().push(u);
    t.link(u).status = req.query.activate === 'false' ? 'deactivated' : 'active';
    res.json(userJson(t, u));
  });

  r.get(`${base}/users/:id`, (req, res) => {
    const { t } = ctx(req);
    res.json(userJson(t, byId(t, String(req.params.id))));
  });

  const updateUser = (replace: boolean) => (req: Request, res: Response) => {
    const { t } = ctx(req);
    const u = byId(t, String(req.params.id));
    const profile = ((req.body ?? {}) as { profile?: Record<string, unknown> }).profile ?? {};
    u.profile = replace ? { ...profile } : { ...u.profile, ...profile };
    // App-user name and email are mapped from the Okta profile; a profile change re-derives them.
    if (u.appUser) for (const k of ['givenName', 'familyName', 'email']) delete u.appUser[k];
    if (u.assigned !== false) later(t, 'push profile update', () => pushProfile(t, u));
    res.json(userJson(t, u));
  };
  r.put(`${base}/users/:id`, json, updateUser(true));
  r.post(`${base}/users/:id`, json, updateUser(false));

  r.post(`${base}/users/:id/lifecycle/:op`, json, (req, res) => {
    const { t } = ctx(req);
    const u = byId(t, String(req.params.id));
    const link = t.link(u);
    switch (req.params.op) {
      case 'deactivate':
        link.status = 'deactivated';
        later(t, 'deactivate', () => deprovision(t, u));
        // Deactivation ends the user's app assignments.
        u.assigned = false;
        break;
      case 'activate':
      case 'reactivate':
        link.status = 'active';
        break;
      case 'suspend':
        link.status = 'suspended';
        later(t, 'suspend', () => deprovision(t, u));
        break;
      case 'unsuspend':
        link.status = 'active';
        if (u.assigned !== false) later(t, 'unsuspend', () => provision(t, u));
        break;
      default:
        throw new OktaApiError(404, 'E0000007', `Not found: lifecycle operation ${String(req.params.op)}`);
    }
    res.json({});
  });

  r.post(`${base}/apps/:appId/users`, json, (req, res) => {
    const { tenant, t } = ctx(req);
    appOf(tenant, String(req.params.appId));
    const b = (req.body ?? {}) as {
      id?: string;
      credentials?: { userName?: string };
      profile?: Record<string, unknown>;
    };
    const u = byId(t, String(b.id ?? ''));
    u.assigned = true;
    t.link(u).scope = 'USER';
    u.appUser = {
      ...u.appUser,
      ...b.profile,
      ...(b.credentials?.userName ? { userName: b.credentials.userName } : {}),
    };
    if (t.link(u).status === 'active') later(t, 'assign', () => provision(t, u));
    res.json(appUserJson(t, u));
  });

  r.get(`${base}/apps/:appId/users/:userId`, (req, res) => {
    const { tenant, t } = ctx(req);
    appOf(tenant, String(req.params.appId));
    const u = byId(t, String(req.params.userId));
    if (u.assigned === false)
      throw new OktaApiError(404, 'E0000007', 'Not found: Resource not found (AppUser)');
    res.json(appUserJson(t, u));
  });

  r.post(`${base}/apps/:appId/users/:userId`, json, (req, res) => {
    const { tenant, t } = ctx(req);
    appOf(tenant, String(req.params.appId));
    const u = byId(t, String(req.params.userId));
    const b = (req.body ?? {}) as { profile?: Record<string, unknown>; scope?: unknown };
    if (b.scope === 'GROUP' && individuallyAssigned(t, u)) {
      // Convert Assignments: the individual assignment becomes a group one and takes its values.
      if (!governingGroup(t, u))
        throw new OktaApiError(
          400,
          'E0000001',
          'Api validation failed: scope: the user is in no assigned group',
        );
      takeGroupValues(t, u);
    } else if (b.scope !== undefined && b.scope !== (t.link(u).scope ?? 'USER'))
      throw new OktaApiError(400, 'E0000001', `Api validation failed: scope ${String(b.scope)}`);
    u.appUser = { ...u.appUser, ...b.profile };
    later(t, 'update app user', () => pushProfile(t, u));
    res.json(appUserJson(t, u));
  });

  // Assign the app to a group (its id here is the group's name), with app attribute values for its members.
  r.put(`${base}/apps/:appId/groups/:groupId`, json, (req, res) => {
    const { tenant, t } = ctx(req);
    appOf(tenant, String(req.params.appId));
    const group = String(req.params.groupId);
    if (!t.users().some((u) => (u.groups ?? []).includes(group)))
      throw new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${group} (UserGroup)`);
    const profile = ((req.body ?? {}) as { profile?: Record<string, unknown> }).profile ?? {};
    later(t, 'assign group', () => oktaEngine.actions['assign-group']!(t, { group, appUser: profile }));
    res.json({
      id: group,
      priority: [...t.groupAssignments.keys(), group].indexOf(group),
      profile,
      _links: {},
    });
  });

  r.delete(`${base}/apps/:appId/users/:userId`, (req, res) => {
    const { tenant, t } = ctx(req);
    appOf(tenant, String(req.params.appId));
    const u = byId(t, String(req.params.userId));
    u.assigned = false;
    later(t, 'unassign', () => deprovision(t, u));
    res.status(204).end();
  });

  r.use(base, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof OktaApiError)) {
      const status = (err as { status?: number }).status;
      if (status && status < 500)
        return void res
          .status(400)
          .json({ errorCode: 'E0000003', errorSummary: (err as Error).message, errorCauses: [] });
      return next(err);
    }
    res.status(err.status).json({
      errorCode: err.errorCode,
      errorSummary: err.message,
      errorLink: err.errorCode,
      errorId: `oae${Date.now().toString(36)}`,
      errorCauses: [],
    });
  });
  return r;
}
