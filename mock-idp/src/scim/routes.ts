import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { IdpError } from '../errors.js';
import type { Tenant } from '../tenant.js';
import { EngineError } from './engines/engine.js';
import { ENGINES } from './engines/index.js';
import { graphApiRoutes } from './graph-api.js';
import { oktaApiRoutes } from './okta-api.js';
import { oneloginApiRoutes } from './onelogin-api.js';
import { SCIM_CLIENT_DEFAULTS } from './defaults.js';
import { engineOf, runScimAction } from './run-action.js';
import { hasScimState, scimStateOf, type ScimOptions, type TenantScim } from './state.js';

/**
 * SCIM provisioning on the mock IdP: the admin API that configures a tenant's SCIM connection
 * (the SP's base URL and token, as the vendor's console takes them) and triggers its engine's
 * console actions, the transcript of what went over the wire, and the vendors' management APIs.
 *
 * - `PUT  /api/admin/tenants/:tenant/scim` `{baseUrl, token, options?}` → the connection, the engine's actions and the management API token
 * - `GET  /api/admin/tenants/:tenant/scim` → the connection (token hidden), links, failures
 * - `POST /api/admin/tenants/:tenant/scim/:action` → runs the action, answers `{result, transcript}`
 * - `POST /api/admin/tenants/:tenant/scim/settle` `{timeoutMs}` → waits for queued provisioning
 * - `GET  /api/admin/tenants/:tenant/scim/transcript?since=N` → every exchange since entry N
 */
export function scimRoutes(state: { tenants: Map<string, Tenant>; baseUrl: () => string }): Router {
  const r = express.Router();
  scheduleEntraCycles(state.tenants);

  const tenantOf = (req: Request): Tenant => {
    const t = state.tenants.get(String(req.params.tenant));
    if (!t) throw new IdpError('ERR_NO_TENANT', String(req.params.tenant), 404);
    return t;
  };
  const describe = (tenant: Tenant, t: TenantScim) => ({
    tenant: tenant.name,
    vendor: tenant.profile.id,
    baseUrl: t.connection?.baseUrl ?? null,
    options: t.options,
    actions: Object.keys(ENGINES[tenant.profile.id]?.actions ?? {}),
    managementApi: ENGINES[tenant.profile.id]?.managementApi(tenant, t, state.baseUrl()) ?? null,
  });

  r.put('/api/admin/tenants/:tenant/scim', (req, res) => {
    const tenant = tenantOf(req);
    engineOf(tenant);
    const b = (req.body ?? {}) as { baseUrl?: unknown; token?: unknown; options?: unknown };
    if (
      typeof b.baseUrl !== 'string' ||
      !/^https?:\/\//.test(b.baseUrl) ||
      typeof b.token !== 'string' ||
      !b.token
    )
      throw new EngineError('ERR_SCIM_BAD_PARAMS', 'give baseUrl (http or https) and token');
    const t = scimStateOf(tenant);
    t.connection = { baseUrl: b.baseUrl, token: b.token };
    if (b.options && typeof b.options === 'object') Object.assign(t.options, b.options as ScimOptions);
    t.nextCycleAt = t.now() + t.cycleMs();
    res.json(describe(tenant, t));
  });

  r.get('/api/admin/tenants/:tenant/scim', (req, res) => {
    const tenant = tenantOf(req);
    const t = scimStateOf(tenant);
    res.json({
      ...describe(tenant, t),
      links: Object.fromEntries(t.links),
      failures: t.failures,
      cycles: t.cycles,
    });
  });

  r.get('/api/admin/tenants/:tenant/scim/transcript', (req, res) => {
    const t = scimStateOf(tenantOf(req));
    res.json(t.client.since(Number(req.query.since ?? 1) || 1));
  });

  r.post('/api/admin/tenants/:tenant/scim/:action', async (req, res) => {
    const tenant = tenantOf(req);
    const t = scimStateOf(tenant);
    const params = (req.body ?? {}) as Record<string, unknown>;
    if (req.params.action === 'settle') {
      const drained = await t.settled(Number(params.timeoutMs ?? 30_000));
      return void res.json({ drained, failures: t.failures });
    }
    const outcome = await runScimAction(tenant, String(req.params.action), params);
    if (outcome.ok)
      return void res.json({
        action: req.params.action,
        result: outcome.result,
        transcript: outcome.transcript,
      });
    const e = outcome.error;
    res
      .status(e instanceof EngineError ? e.status : 502)
      .json({ error: { code: e.code, message: e.message }, transcript: outcome.transcript });
  });

  r.use(oktaApiRoutes(state.tenants));
  r.use(graphApiRoutes(state.tenants));
  r.use(oneloginApiRoutes(state.tenants));

  r.use('/api/admin', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof EngineError)
      return void res.status(err.status).json({ error: { code: err.code, message: err.message } });
    next(err);
  });
  return r;
}

/**
 * Entra's schedule on the real clock: every so often, each Entra tenant with a SCIM connection
 * runs a cycle when one falls due (tests move the engine clock with the `clock` action instead).
 */
function scheduleEntraCycles(tenants: Map<string, Tenant>): void {
  const timer = setInterval(() => {
    for (const tenant of tenants.values()) {
      if (tenant.profile.id !== 'entra' || (!tenant.setup.scim && !hasScimState(tenant))) continue;
      const t = scimStateOf(tenant);
      if (t.connection && !t.stopped && t.now() >= t.nextCycleAt)
        void t.enqueue('cycle', () => ENGINES.entra!.actions.cycle!(t, {})).catch(() => undefined);
    }
  }, SCIM_CLIENT_DEFAULTS.scheduleCheckMs);
  timer.unref();
}
