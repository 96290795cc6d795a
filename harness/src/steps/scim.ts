import { scenarioDuration } from '../duration.js';
import { CheckFailed, HarnessError, NotApplicable } from '../errors.js';
import { httpExchange, type HttpAnswer } from '../http-exchange.js';
import type { ScimExchange } from '../model.js';
import type { Expectations, Scenario, ScimStep, Step } from '../scenario/types.js';
import { fill, type RunContext } from './context.js';

/**
 * SCIM in a run: the set-up that connects the IdP tenant's provisioning engine to the SP (a
 * SCIM token from the SP's admin API, or the target's own), the `scim` step that triggers a
 * console action of the vendor's engine and keeps its request/response transcript as the
 * step's `evidence.scim`, and the checks on what was sent and on the SP's assets.
 */
interface EngineAnswer {
  result?: unknown;
  transcript?: ScimExchange[];
  error?: { code: string; message: string };
}

export interface ScimRunState {
  baseUrl: string;
  token: string;
  /** The SP's id of the token, when the harness created it (for disabling SCIM). */
  tokenId?: string;
  /** Exchanges of the current step, moved into its evidence. */
  evidence: ScimExchange[];
  /** Exchanges of the last `scim` step, for expect.scimSent. */
  last: ScimExchange[];
  /** What the last `scim` action answered. */
  lastResult?: unknown;
  /** The last `scimRequest` answer. */
  response?: { status: number; headers: Record<string, string>; body: unknown; text: string };
  /** The vendor's management API for the tenant (Okta `orgUrl`, Graph `graphUrl`, OneLogin `apiUrl`) and its token. */
  management?: ({ apiToken: string } & Record<string, string>) | null;
}

/** Per run, keyed by the run's driver (the same for every workspace view of the run). */
const states = new WeakMap<object, ScimRunState>();

export const scenarioUsesScim = (s: Scenario) =>
  s.steps.some(
    (step) => step.scim !== undefined || step.scimRequest !== undefined || step.graph !== undefined,
  );

export const scimEvidence = (ctx: RunContext): ScimExchange[] =>
  states.get(ctx.driver)?.evidence.splice(0) ?? [];

/** Creates a SCIM token on the SP and gives the IdP tenant the SCIM base URL and token, as an admin does in both consoles. */
export async function setUpScim(ctx: RunContext, options: Record<string, unknown> = {}): Promise<void> {
  if (!ctx.mockIdp) throw new HarnessError('ERR_INTERNAL', 'the mock IdP is not available to this run');
  let conn: { baseUrl: string; token: string; tokenId?: string } | undefined = ctx.target.scim;
  if (!conn && ctx.target.admin) {
    const t = (await ctx.target.admin('POST', `/workspaces/${ctx.target.workspace}/scim-tokens`)) as {
      id: string;
      token: string;
      baseUrl: string;
    };
    conn = { baseUrl: t.baseUrl, token: t.token, tokenId: t.id };
  }
  if (!conn) throw new NotApplicable('the target has no SCIM endpoint the harness can reach');
  const r = await ctx.mockIdp.scimAdmin<{
    managementApi?: ScimRunState['management'];
    error?: { code: string; message: string };
  }>(ctx.tenant.tenant, 'PUT', '', {
    baseUrl: conn.baseUrl,
    token: conn.token,
    options: { retryBaseMs: 50, ...options },
  });
  if (r.body?.error?.code === 'ERR_SCIM_UNSUPPORTED') throw new NotApplicable(r.body.error.message);
  if (r.status >= 400)
    throw new HarnessError('ERR_IDP', `configuring SCIM on the mock IdP: ${JSON.stringify(r.body)}`);
  states.set(ctx.driver, { ...conn, evidence: [], last: [], management: r.body.managementApi ?? null });
}

export function stateOf(ctx: RunContext): ScimRunState {
  const s = states.get(ctx.driver);
  if (!s) throw new HarnessError('ERR_INTERNAL', 'SCIM was not set up for this run');
  return s;
}

/** Runs one `scim` step. */
export async function scimStep(ctx: RunContext, step: ScimStep): Promise<void> {
  const s = stateOf(ctx);
  if (step.action === 'disable') {
    // "Disable SCIM" in the SP: the token is revoked.
    if (!s.tokenId || !ctx.target.admin)
      throw new NotApplicable("the harness cannot revoke the target's SCIM token");
    await ctx.target.admin('DELETE', `/workspaces/${ctx.target.workspace}/scim-tokens/${s.tokenId}`);
    ctx.observed.scim = { disabled: s.tokenId };
    return;
  }
  const { action, expectRefused, advance, ...rest } = step;
  const params: Record<string, unknown> = { ...rest };
  if (advance) params.advanceMs = scenarioDuration(advance);
  const r = await ctx.mockIdp!.scimAdmin<EngineAnswer>(ctx.tenant.tenant, 'POST', `/${action}`, params);
  const transcript = r.body?.transcript ?? [];
  s.evidence.push(...transcript);
  s.last = transcript;
  s.lastResult = r.body?.result;
  ctx.observed.scim = { action, result: r.body?.result ?? r.body?.error };
  const err = r.body?.error;
  if (err?.code === 'ERR_SCIM_UNSUPPORTED') throw new NotApplicable(err.message);
  if (err && err.code !== 'ERR_SCIM_REFUSED')
    throw new HarnessError('ERR_SCENARIO_REFERENCE', `scim ${action}: ${err.code}: ${err.message}`);
  const okResult = (r.body?.result as { ok?: boolean } | undefined)?.ok;
  const refused = err !== undefined || okResult === false;
  if (expectRefused && !refused)
    throw new CheckFailed(
      'ERR_CHECK_SCIM_ACCEPTED',
      `the SP accepted the ${action} although SCIM should refuse it`,
    );
  if (!expectRefused && refused)
    throw new CheckFailed(
      'ERR_CHECK_SCIM_REFUSED',
      `the SP refused the ${action}: ${err?.message ?? JSON.stringify(r.body?.result)}`,
    );
}

/** expect.scimSent: the last `scim` step sent each of these requests (method, path, body fragment, answer status). */
export async function checkScimSent(
  ctx: RunContext,
  wanted: NonNullable<Expectations['scimSent']>,
): Promise<void> {
  const s = stateOf(ctx);
  const seen = s.last.map((e) => ({
    method: e.method,
    path:
      new URL(e.url).pathname.replace(
        /^.*?\/(Users|Groups|ServiceProviderConfig|Schemas|ResourceTypes)/,
        '/$1',
      ) + new URL(e.url).search,
    status: e.status,
    body: e.requestBody === undefined ? '' : JSON.stringify(e.requestBody),
  }));
  ctx.observed.scimSent = seen.map((x) => `${x.method} ${decodeURIComponent(x.path)} → ${x.status}`);
  for (const w of wanted) {
    const hit = seen.find(
      (x) =>
        x.method === w.method &&
        (w.path === undefined || decodeURIComponent(x.path).startsWith(w.path)) &&
        (w.status === undefined || x.status === w.status) &&
        (w.bodyContains === undefined || x.body.includes(w.bodyContains)),
    );
    if (!hit)
      throw new CheckFailed(
        'ERR_CHECK_SCIM_NOT_SENT',
        `the IdP sent no ${w.method} ${w.path ?? ''}${w.bodyContains ? ` with ${w.bodyContains}` : ''}${w.status ? ` answered ${w.status}` : ''}`,
      );
  }
}

/** expect.assets: the workspace's recipes and connections (seed 002: they "remain available to the rest of the team"). */
export async function checkAssets(ctx: RunContext, e: NonNullable<Expectations['assets']>): Promise<void> {
  if (!ctx.target.admin)
    throw new NotApplicable("assets are read through the SP's admin API, which the target does not have");
  const assets = (await ctx.target.admin('GET', `/workspaces/${ctx.target.workspace}/assets`)) as {
    kind: string;
    name: string;
    ownerEmail: string;
    ownerActive: boolean;
  }[];
  const mine = e.owner ? assets.filter((a) => a.ownerEmail.toLowerCase() === e.owner!.toLowerCase()) : assets;
  // The admin API is the reference SP's: this check grades state.
  ctx.observed.observer = 'reference-api';
  ctx.observed.assets = mine;
  if (e.count !== undefined && mine.length !== e.count)
    throw new CheckFailed(
      'ERR_CHECK_ASSETS',
      `${mine.length} assets${e.owner ? ` owned by ${e.owner}` : ''}`,
      e.count,
      mine.length,
    );
  for (const name of e.names ?? [])
    if (!mine.some((a) => a.name === name))
      throw new CheckFailed('ERR_CHECK_ASSETS', `no asset named ${name}`);
  if (e.ownerActive !== undefined && mine.some((a) => a.ownerActive !== e.ownerActive))
    throw new CheckFailed('ERR_CHECK_ASSETS', `an asset's owner is ${e.ownerActive ? 'not ' : ''}active`);
}

/** The `asset` step: a member creates a recipe or connection (through the SP's admin API). */
export async function createAsset(ctx: RunContext, a: NonNullable<Step['asset']>): Promise<void> {
  if (!ctx.target.admin)
    throw new NotApplicable("assets are created through the SP's admin API, which the target does not have");
  await ctx.target.admin('POST', `/workspaces/${ctx.target.workspace}/assets`, a);
}

/** Reads `Resources.0.userName` (or `Resources[0].userName`) out of a JSON value. */
export function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Fills {name} from saved values in every string (and key) of a JSON value. */
export const fillDeep = (ctx: RunContext, v: unknown): unknown =>
  typeof v === 'string'
    ? fill(ctx, v)
    : Array.isArray(v)
      ? v.map((x) => fillDeep(ctx, x))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [fill(ctx, k), fillDeep(ctx, x)]))
        : v;

/** The `scimRequest` step: one request to the SP's SCIM endpoint, as a conformance check sends it. */
export async function scimRequest(ctx: RunContext, step: NonNullable<Step['scimRequest']>): Promise<void> {
  const s = stateOf(ctx);
  const url =
    s.baseUrl.replace(/\/$/, '') + encodeURI(fill(ctx, step.path)).replace(/%25([0-9A-F]{2})/g, '%$1');
  const headers: Record<string, string> = { accept: 'application/scim+json' };
  const auth = step.auth ?? 'token';
  let body: string | undefined;
  if (step.rawBody !== undefined) body = fill(ctx, step.rawBody);
  else if (step.body !== undefined) body = JSON.stringify(fillDeep(ctx, step.body));
  if (body !== undefined) headers['content-type'] = 'application/scim+json';
  for (const [k, v] of Object.entries(step.headers ?? {})) headers[k.toLowerCase()] = fill(ctx, v);
  let res: HttpAnswer;
  try {
    res = await httpExchange(url, {
      method: step.method,
      headers,
      token: auth === 'token' ? s.token : auth === 'wrong' ? 'not-the-token' : undefined,
      body,
    });
  } catch (e) {
    throw new HarnessError(
      'ERR_TARGET_UNREACHABLE',
      `${step.method} ${url} failed: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const text = res.text;
  const parsed = res.json;
  s.response = { status: res.status, headers: res.headers, body: parsed, text };
  s.evidence.push({
    at: new Date().toISOString(),
    method: step.method,
    url,
    requestBody: step.body ?? step.rawBody,
    status: res.status,
    responseBody: parsed ?? text.slice(0, 2000),
  });
  ctx.observed.scimResponse = { status: res.status, body: parsed ?? text.slice(0, 300) };
  for (const [name, path] of Object.entries(step.save ?? {})) {
    const v = at(parsed, path);
    if (v === undefined || v === null)
      throw new CheckFailed('ERR_CHECK_SCIM_BODY', `the answer has no ${path} to save as ${name}`);
    (ctx.vars ??= {})[name] = String(v);
  }
}

/** expect.scimResponse: the last `scimRequest` answer. */
export async function checkScimResponse(
  ctx: RunContext,
  e: NonNullable<Expectations['scimResponse']>,
): Promise<void> {
  const r = stateOf(ctx).response;
  if (!r)
    throw new HarnessError('ERR_SCENARIO_REFERENCE', 'expect.scimResponse needs an earlier scimRequest step');
  if (r.status >= 500)
    throw new CheckFailed(
      'ERR_CHECK_SCIM_SERVER_ERROR',
      `the SP answered ${r.status}: ${r.text.slice(0, 200)}`,
    );
  if (e.status !== undefined && r.status !== e.status)
    throw new CheckFailed(
      'ERR_CHECK_SCIM_STATUS',
      `the SP answered ${r.status} (${r.text.slice(0, 160)})`,
      e.status,
      r.status,
    );
  if (e.scimType !== undefined || e.errorSchema) {
    const b = (r.body ?? {}) as { schemas?: unknown; status?: unknown; scimType?: unknown };
    if (!Array.isArray(b.schemas) || !b.schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error'))
      throw new CheckFailed('ERR_CHECK_SCIM_ERROR_BODY', 'the error does not carry the SCIM Error schema');
    if (b.status !== String(r.status))
      throw new CheckFailed(
        'ERR_CHECK_SCIM_ERROR_BODY',
        "the error's status is not the HTTP status as a string",
        String(r.status),
        b.status,
      );
    if (e.scimType !== undefined && b.scimType !== e.scimType)
      throw new CheckFailed(
        'ERR_CHECK_SCIM_ERROR_BODY',
        `the error's scimType is ${String(b.scimType)}`,
        e.scimType,
        b.scimType,
      );
  }
  for (const [path, want] of Object.entries(e.body ?? {})) {
    const got = at(r.body, fill(ctx, path));
    const expected = fillDeep(ctx, want);
    if (JSON.stringify(got) !== JSON.stringify(expected))
      throw new CheckFailed(
        'ERR_CHECK_SCIM_BODY',
        `the answer's ${path} is ${JSON.stringify(got)}`,
        expected,
        got,
      );
  }
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const got = r.headers[name.toLowerCase()];
    if (want === true ? got === undefined : want === false ? got !== undefined : got !== fill(ctx, want))
      throw new CheckFailed('ERR_CHECK_SCIM_HEADER', `header ${name} is ${got ?? 'absent'}`, want, got);
  }
}
