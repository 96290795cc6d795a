import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { carriesToken } from '../http/credentials.js';
import type { SetupUser } from '../setup.js';
import type { Tenant } from '../tenant.js';
import { entraAppId, entraObjectId, stableGuid } from './engines/entra.js';
import { ENGINES } from './engines/index.js';
import { scimStateOf, type TenantScim } from './state.js';

/**
 * The Microsoft Graph subset seed 004 walks through, at `/:tenant/v1.0`: list applications,
 * create `extensionProperties` (named `extension_<appId without dashes>_<name>`), list and read
 * users (`$select`), PATCH a user's extension attributes, and provision on demand.
 * `Authorization: Bearer <apiToken>` (from `PUT /api/admin/tenants/:tenant/scim`).
 */
class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function graphApiRoutes(tenants: Map<string, Tenant>): Router {
  const r = express.Router();
  const json = express.json({ limit: '256kb' });
  const extensions = new WeakMap<
    Tenant,
    Map<string, { id: string; name: string; dataType: string; targetObjects: string[] }>
  >();

  const ctx = (req: Request): { tenant: Tenant; t: TenantScim } => {
    const tenant = tenants.get(String(req.params.tenant));
    if (!tenant || tenant.profile.id !== 'entra')
      throw new GraphError(404, 'Request_ResourceNotFound', 'Resource not found');
    const t = scimStateOf(tenant);
    if (!carriesToken(req, t.apiToken))
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    return { tenant, t };
  };
  const userOf = (tenant: Tenant, t: TenantScim, id: string): SetupUser => {
    const u = tenant.setup.users.find(
      (x) =>
        t.link(x).vendorId === id ||
        String(x.profile?.userprincipalname ?? x.login).toLowerCase() === id.toLowerCase(),
    );
    if (!u) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist`);
    return u;
  };
  const userJson = (t: TenantScim, u: SetupUser) => {
    const p = u.profile ?? {};
    return {
      id: t.link(u).vendorId,
      userPrincipalName: p.userprincipalname ?? u.login,
      displayName: p.displayname ?? null,
      givenName: p.givenname ?? null,
      surname: p.surname ?? null,
      mail: p.mail ?? u.login,
      ...Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('extension_'))),
    };
  };

  const base = '/:tenant/v1.0';
  r.get(`${base}/applications`, (req, res) => {
    const { tenant } = ctx(req);
    res.json({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications',
      value: [
        {
          id: entraObjectId(tenant),
          appId: entraAppId(tenant),
          displayName: tenant.setup.app.name ?? 'Workato',
        },
      ],
    });
  });

  r.post(`${base}/applications/:id/extensionProperties`, json, (req, res) => {
    const { tenant } = ctx(req);
    if (req.params.id !== entraObjectId(tenant))
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${String(req.params.id)}' does not exist (use the id, not the appId)`,
      );
    const b = (req.body ?? {}) as { name?: unknown; dataType?: unknown; targetObjects?: unknown };
    if (typeof b.name !== 'string' || !/^[A-Za-z0-9_]{1,100}$/.test(b.name) || b.dataType !== 'string')
      throw new GraphError(400, 'Request_BadRequest', 'name and dataType "String" are required');
    const name = `extension_${entraAppId(tenant).replace(/-/g, '')}_${b.name}`;
    const all = extensions.get(tenant) ?? new Map();
    extensions.set(tenant, all);
    const ext = {
      id: stableGuid(`${tenant.name}/${name}`),
      name,
      dataType: 'String',
      targetObjects: Array.isArray(b.targetObjects) ? (b.targetObjects as string[]) : ['User'],
    };
    all.set(name, ext);
    res.status(201).json({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#extensionProperty',
      ...ext,
      appDisplayName: tenant.setup.app.name ?? 'Workato',
      isSyncedFromOnPremises: false,
    });
  });

  r.get(`${base}/users`, (req, res) => {
    const { tenant, t } = ctx(req);
    res.json({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
      value: tenant.setup.users.map((u) => userJson(t, u)),
    });
  });

  r.get(`${base}/users/:id`, (req, res) => {
    const { tenant, t } = ctx(req);
    const full = userJson(t, userOf(tenant, t, String(req.params.id)));
    const select =
      typeof req.query.$select === 'string' ? req.query.$select.split(',').map((s) => s.trim()) : undefined;
    if (!select)
      return void res.json({
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
        ...full,
      });
    res.json({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users(${select.join(',')})/$entity`,
      ...Object.fromEntries(
        select.filter((k) => k in full).map((k) => [k, (full as Record<string, unknown>)[k]]),
      ),
    });
  });

  r.patch(`${base}/users/:id`, json, (req, res) => {
    const { tenant, t } = ctx(req);
    const u = userOf(tenant, t, String(req.params.id));
    const b = (req.body ?? {}) as Record<string, unknown>;
    const known = new Set(['displayName', 'givenName', 'surname', 'mail', 'department']);
    const profile: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(b)) {
      if (k.startsWith('extension_')) {
        if (!extensions.get(tenant)?.has(k) && !(k in (u.profile ?? {})))
          throw new GraphError(
            400,
            'Request_BadRequest',
            `Property '${k}' does not exist as a declared property or extension property.`,
          );
        profile[k] = v;
      } else if (known.has(k)) profile[k.toLowerCase()] = v;
      else throw new GraphError(400, 'Request_BadRequest', `Invalid property '${k}'.`);
    }
    u.profile = { ...u.profile, ...profile };
    // Entra provisions the change at its next cycle (or on demand).
    res.status(204).end();
  });

  r.post(
    `${base}/servicePrincipals/:sp/synchronization/jobs/:job/provisionOnDemand`,
    json,
    async (req, res) => {
      const { tenant, t } = ctx(req);
      const subjects = (
        (req.body as { parameters?: { subjects?: { objectId?: string }[] }[] } | undefined)?.parameters ?? []
      ).flatMap((p) => p.subjects ?? []);
      if (!subjects.length)
        throw new GraphError(400, 'Request_BadRequest', 'parameters[].subjects[] is required');
      const out = [];
      for (const s of subjects) {
        const u = userOf(tenant, t, String(s.objectId));
        try {
          out.push(
            await t.enqueue('provision-on-demand', () =>
              ENGINES.entra!.actions['provision-on-demand']!(t, { user: u.login }),
            ),
          );
        } catch (e) {
          throw new GraphError(
            400,
            'Request_BadRequest',
            `provisioning ${u.login} failed: ${(e as Error).message}`,
          );
        }
      }
      res.json({
        '@odata.type': '#microsoft.graph.stringKeyStringValuePair',
        key: 'result',
        value: JSON.stringify(out),
      });
    },
  );

  r.use(base, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof GraphError)) return next(err);
    res.status(err.status).json({
      error: { code: err.code, message: err.message, innerError: { date: new Date().toISOString() } },
    });
  });
  return r;
}
