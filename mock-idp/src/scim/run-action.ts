import type { Tenant } from '../tenant.js';
import { ScimClientError, type TranscriptEntry } from './client.js';
import { EngineError, type ProvisioningEngine } from './engines/engine.js';
import { ENGINES } from './engines/index.js';
import { scimStateOf } from './state.js';

/** The tenant's provisioning engine; Google Workspace has none for custom SAML apps. */
export function engineOf(tenant: Tenant): ProvisioningEngine {
  const e = ENGINES[tenant.profile.id];
  if (!e)
    throw new EngineError(
      'ERR_SCIM_UNSUPPORTED',
      `${tenant.profile.displayName} does not provision custom SAML apps over SCIM`,
      409,
    );
  return e;
}

/** How an action ended: its result, or the engine's or the SCIM client's error; with the wire transcript either way. */
export type ActionOutcome =
  | { ok: true; result: unknown; transcript: TranscriptEntry[] }
  | { ok: false; error: EngineError | ScimClientError; transcript: TranscriptEntry[] };

/**
 * Runs one of the engine's console actions through the tenant's provisioning queue; the admin
 * API and the consoles both start actions here. Other errors (the mock IdP's own faults) are thrown.
 */
export async function runScimAction(
  tenant: Tenant,
  name: string,
  params: Record<string, unknown>,
): Promise<ActionOutcome> {
  const t = scimStateOf(tenant);
  const engine = engineOf(tenant);
  const action = engine.actions[name];
  if (!action)
    throw new EngineError(
      'ERR_SCIM_UNSUPPORTED',
      `${tenant.profile.displayName} has no SCIM action ${name} (it has ${Object.keys(engine.actions).join(', ')})`,
      404,
    );
  const from = t.client.nextSeq;
  try {
    const result = await t.enqueue(name, () => action(t, params));
    return { ok: true, result, transcript: t.client.since(from) };
  } catch (e) {
    if (e instanceof EngineError || e instanceof ScimClientError)
      return { ok: false, error: e, transcript: t.client.since(from) };
    throw e;
  }
}
