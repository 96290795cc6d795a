import { CheckFailed, HarnessError } from '../errors.js';
import type { Expectations, Scenario, ScimStep, Step } from '../scenario/types.js';
import type { RunContext } from './context.js';
import { NotApplicable } from './expect.js';
import { parseDuration } from './session-actions.js';

/**
 * SCIM in a run: the set-up that connects the IdP tenant's provisioning engine to the SP (a
 * SCIM token from the SP's admin API, or the target's own), the `scim` step that triggers a
 * console action of the vendor's engine and keeps its request/response transcript as the
 * step's `evidence.scim`, and the checks on what was sent and on the SP's assets.
 */
interface EngineAnswer {
  result?: unknown;
  transcript?: TranscriptEntry[];
  error?: { code: string; message: string };
}

interface TranscriptEntry {
  method: string;
  url: string;
  status: number;
  requestBody?: unknown;
}

export interface ScimRunState {
  baseUrl: string;
  token: string;
  /** The SP's id of the token, when the harness created it (for disabling SCIM). */
  tokenId?: string;
  /** Exchanges of the current step, moved into its evidence. */
  evidence: unknown[];
  /** Exchanges of the last `scim` step, for expect.scimSent. */
  last: TranscriptEntry[];
  /** What the last `scim` action answered. */
  lastResult?: unknown;
  management?: { orgUrl: string; appId: string; apiToken: string } | null;
}

const states = new WeakMap<RunContext, ScimRunState>();

export const scenarioUsesScim = (s: Scenario) => s.steps.some((step) => step.scim !== undefined);

export const scimEvidence = (ctx: RunContext): unknown[] => states.get(ctx)?.evidence.splice(0) ?? [];

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
  states.set(ctx, { ...conn, evidence: [], last: [], management: r.body.managementApi ?? null });
}

function stateOf(ctx: RunContext): ScimRunState {
  const s = states.get(ctx);
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
  if (advance) params.advanceMs = parseDuration(advance);
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
    throw new CheckFailed(`the SP accepted the ${action} although SCIM should refuse it`);
  if (!expectRefused && refused)
    throw new CheckFailed(`the SP refused the ${action}: ${err?.message ?? JSON.stringify(r.body?.result)}`);
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
  ctx.observed.assets = mine;
  if (e.count !== undefined && mine.length !== e.count)
    throw new CheckFailed(
      `${mine.length} assets${e.owner ? ` owned by ${e.owner}` : ''}`,
      e.count,
      mine.length,
    );
  for (const name of e.names ?? [])
    if (!mine.some((a) => a.name === name)) throw new CheckFailed(`no asset named ${name}`);
  if (e.ownerActive !== undefined && mine.some((a) => a.ownerActive !== e.ownerActive))
    throw new CheckFailed(`an asset's owner is ${e.ownerActive ? 'not ' : ''}active`);
}

/** The `asset` step: a member creates a recipe or connection (through the SP's admin API). */
export async function createAsset(ctx: RunContext, a: NonNullable<Step['asset']>): Promise<void> {
  if (!ctx.target.admin)
    throw new NotApplicable("assets are created through the SP's admin API, which the target does not have");
  await ctx.target.admin('POST', `/workspaces/${ctx.target.workspace}/assets`, a);
}
