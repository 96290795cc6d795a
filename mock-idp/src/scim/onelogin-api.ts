import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { carriesToken } from '../http/credentials.js';
import type { SetupUser } from '../setup.js';
import type { Tenant } from '../tenant.js';
import { ENGINES } from './engines/index.js';
import { scimStateOf, type TenantScim } from './state.js';

/**
 * The OneLogin API 2.0 subset behind seed 003's steps, at `/:tenant/api/2`: custom user fields
 * (`GET|POST /users/custom_attributes`), users (`GET /users`, `GET|PUT /users/:id`, `POST /users`)
 * with `custom_attributes` and `state`/`status`. A change to an app user is pushed to the app over
 * SCIM, as OneLogin does. `Authorization: Bearer <apiToken>`.
 */
class OneLoginError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function oneloginApiRoutes(tenants: Map<string, Tenant>): Router {
  const r = express.Router();
  const json = express.json({ limit: '256kb' });
  const fields = new WeakMap<Tenant, Set<string>>();

  const ctx = (req: Request): { tenant: Tenant; t: TenantScim } => {
    const tenant = tenants.get(String(req.params.tenant));
    if (!tenant || tenant.profile.id !== 'onelogin') throw new OneLoginError(404, 'Not Found');
    const t = scimStateOf(tenant);
    if (!carriesToken(req, t.apiToken)) throw new OneLoginError(401, 'Unauthorized');
    return { tenant, t };
  };
  const customFields = (tenant: Tenant) => {
    let f = fields.get(tenant);
    if (!f) {
      f = new Set(['workato_role', 'workato_role_test', 'workato_role_prod']);
      fields.set(tenant, f);
    }
    return f;
  };
  const userOf = (tenant: Tenant, t: TenantScim, id: string): SetupUser => {
    const u = tenant.setup.users.find((x) => t.link(x).vendorId === id);
    if (!u) throw new OneLoginError(404, `User ${id} not found`);
    return u;
  };
  const userJson = (t: TenantScim, u: SetupUser) => {
    const p = u.profile ?? {};
    const link = t.link(u);
    return {
      id: Number(link.vendorId),
      email: p.email ?? u.login,
      username: u.login,
      firstname: p.firstname ?? null,
      lastname: p.lastname ?? null,
      state: 1,
      status: link.status === 'active' ? 1 : 2,
      custom_attributes: (p.custom_fields as Record<string, unknown> | undefined) ?? {},
    };
  };
  const push = (t: TenantScim, u: SetupUser) => {
    if (u.assigned !== false || t.link(u).scimId)
      void t
        .enqueue('user change', () => ENGINES.onelogin!.actions.push!(t, { users: [u.login] }))
        .catch(() => undefined);
  };
  const apply = (tenant: Tenant, u: SetupUser, b: Record<string, unknown>, t: TenantScim) => {
    const custom = (b.custom_attributes ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(custom))
      if (!customFields(tenant).has(k)) throw new OneLoginError(422, `custom attribute ${k} is not defined`);
    const profile: Record<string, unknown> = { ...u.profile };
    for (const k of ['firstname', 'lastname', 'email']) if (typeof b[k] === 'string') profile[k] = b[k];
    profile.custom_fields = { ...((u.profile?.custom_fields as object | undefined) ?? {}), ...custom };
    u.profile = profile;
    if (b.status === 2 || b.status === 3) t.link(u).status = 'suspended';
    if (b.status === 1) t.link(u).status = 'active';
  };

  const base = '/:tenant/api/2';
  r.get(`${base}/users/custom_attributes`, (req, res) => {
    const { tenant } = ctx(req);
    res.json([...customFields(tenant)]);
  });
  r.post(`${base}/users/custom_attributes`, json, (req, res) => {
    const { tenant } = ctx(req);
    const b = (req.body ?? {}) as { user_field_name?: unknown; user_field_shortname?: unknown };
    if (typeof b.user_field_shortname !== 'string' || !/^[a-z0-9_]{1,64}$/.test(b.user_field_shortname))
      throw new OneLoginError(422, 'user_field_shortname is required');
    customFields(tenant).add(b.user_field_shortname);
    res.status(201).json({
      id: customFields(tenant).size,
      name: b.user_field_name ?? b.user_field_shortname,
      shortname: b.user_field_shortname,
    });
  });
  r.get(`${base}/users`, (req, res) => {
    const { tenant, t } = ctx(req);
    const email = typeof req.query.email === 'string' ? req.query.email.toLowerCase() : undefined;
    res.json(
      tenant.setup.users
        .filter((u) => !email || String(u.profile?.email ?? u.login).toLowerCase() === email)
        .map((u) => userJson(t, u)),
    );
  });
  r.get(`${base}/users/:id`, (req, res) => {
    const { tenant, t } = ctx(req);
    res.json(userJson(t, userOf(tenant, t, String(req.params.id))));
  });
  r.post(`${base}/users`, json, (req, res) => {
    const { tenant, t } = ctx(req);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const login =
      typeof b.username === 'string' ? b.username : typeof b.email === 'string' ? b.email : undefined;
    if (!login) throw new OneLoginError(422, 'email or username is required');
    if (tenant.user(login)) throw new OneLoginError(422, 'username must be unique');
    const u: SetupUser = {
      login,
      password: typeof b.password === 'string' ? b.password : 'OneLogin-Api-1!',
      assigned: false,
      profile: {},
    };
    apply(tenant, u, b, t);
    tenant.setup.users.push(u);
    res.status(201).json(userJson(t, u));
  });
  r.put(`${base}/users/:id`, json, (req, res) => {
    const { tenant, t } = ctx(req);
    const u = userOf(tenant, t, String(req.params.id));
    apply(tenant, u, (req.body ?? {}) as Record<string, unknown>, t);
    push(t, u);
    res.json(userJson(t, u));
  });

  r.use(base, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof OneLoginError)) return next(err);
    res.status(err.status).json({
      statusCode: err.status,
      name: err.status === 401 ? 'Unauthorized' : 'Error',
      message: err.message,
    });
  });
  return r;
}
