import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IdpError } from '../errors.js';
import { generateKeyPair, loadKeyPair, signingKeyFromPem } from '../keys.js';
import { NAMEID_FORMATS, type ResponseInput } from '../profiles/profile.js';
import type { SetupUser } from '../setup.js';
import type { Tenant } from '../tenant.js';
import type { SigningKey } from '../xmldsig/sign.js';
import { findMutation } from './catalogue.js';
import { base64 } from './dom.js';
import type { LogoutMutationContext } from './types.js';

interface TenantAttackState {
  /** Applied to the next response only, then cleared. */
  next: string | undefined;
  /** A logout mutation, with the victim it names, applied to the next IdP-initiated logout only. */
  nextLogout?: { id: string; victim: string };
  /** The last response delivered unmutated, which the replay mutation sends again. */
  lastSent: string | undefined;
}

const states = new WeakMap<Tenant, TenantAttackState>();
const stateOf = (t: Tenant): TenantAttackState => {
  let s = states.get(t);
  if (!s) states.set(t, (s = { next: undefined, lastSent: undefined }));
  return s;
};

/** The SP certificate the tenant encrypts for: the app's encryption certificate, else the SP's signing one. */
const spCertificateOf = (tenant: Tenant): string | undefined =>
  tenant.setup.app.encryption?.certificatePem ?? tenant.setup.app.spCertificatePem;

/**
 * Arms `mutationId` for the tenant's next response (or, for a logout mutation, its next
 * IdP-initiated logout, naming `victim`); throws ERR_NO_MUTATION for an unknown ID and
 * ERR_MUTATION_PRECONDITION when the tenant lacks what the mutation needs.
 */
export function armMutation(tenant: Tenant, mutationId: string, opts: { victim?: string } = {}): void {
  const mutation = findMutation(mutationId);
  if (!mutation) throw new IdpError('ERR_NO_MUTATION', mutationId, 404);
  if (mutation.channel === 'logout') {
    const victim = opts.victim && tenant.user(opts.victim);
    if (!victim)
      throw new IdpError(
        'ERR_MUTATION_PRECONDITION',
        `${mutationId} names a victim: a user of the tenant`,
        409,
      );
    if (!tenant.setup.app.sloUrl || tenant.profile.singleLogout === false)
      throw new IdpError('ERR_MUTATION_PRECONDITION', `${mutationId} needs Single Logout to the SP`, 409);
    stateOf(tenant).nextLogout = { id: mutationId, victim: victim.login };
    return;
  }
  if (mutation.needs?.spCertificate && !spCertificateOf(tenant)) {
    throw new IdpError(
      'ERR_MUTATION_PRECONDITION',
      `${mutationId} encrypts for the SP, and the tenant's app has no SP certificate`,
      409,
    );
  }
  const key = mutation.needs?.metadataKey;
  if (key && (tenant.setup.app.metadataKey ?? 'signing') !== key) {
    throw new IdpError(
      'ERR_MUTATION_PRECONDITION',
      `${mutationId} needs the tenant's metadata to list its key as ${key} (app.metadataKey)`,
      409,
    );
  }
  stateOf(tenant).next = mutationId;
}

export function disarmMutation(tenant: Tenant): void {
  stateOf(tenant).next = undefined;
  stateOf(tenant).nextLogout = undefined;
}

export function armedMutation(tenant: Tenant): string | undefined {
  const s = states.get(tenant);
  return s?.next ?? s?.nextLogout?.id;
}

let untrusted: SigningKey | undefined;
/** The project's `untrusted` test key when present, else a key made once for this process. */
function untrustedKey(): SigningKey {
  if (!untrusted) {
    const dir = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'keys');
    const key = join(dir, 'untrusted.key.pem');
    const cert = join(dir, 'untrusted.cert.pem');
    untrusted = signingKeyFromPem(
      existsSync(key) && existsSync(cert) ? loadKeyPair(key, cert) : generateKeyPair('untrusted'),
    );
  }
  return untrusted;
}

/**
 * The SAMLResponse form value for one sign-in: the tenant's response, or, when a mutation is
 * armed, that mutation of it (once). The last unmutated value is kept for a later replay.
 */
export function deliverResponse(
  tenant: Tenant,
  user: SetupUser,
  inResponseTo: string | undefined,
  acsUrl: string,
  now: Date,
): string {
  const state = stateOf(tenant);
  const id = state.next;
  state.next = undefined;
  const mutation = id ? findMutation(id) : undefined;
  let value: string;
  if (mutation && mutation.channel !== 'logout') {
    const build = (adjust?: (input: ResponseInput) => ResponseInput) =>
      tenant.respond(user, inResponseTo, acsUrl, now, undefined, adjust).xml;
    let input: ResponseInput | undefined;
    build((i) => (input = i));
    value = mutation.mutate({
      input: input!,
      build,
      untrustedKey,
      previous: state.lastSent,
      spCertificatePem: spCertificateOf(tenant),
      metadataXml: () => tenant.metadataXml(),
    }).samlResponse;
  } else {
    value = base64(tenant.respond(user, inResponseTo, acsUrl, now).xml);
    state.lastSent = value;
  }
  return value;
}

/** The hostile LogoutRequest to send: the XML to post, or the DEFLATE data to send over HTTP-Redirect. */
export type HostileLogout = { binding: 'post'; xml: string } | { binding: 'redirect'; deflated: Buffer };

/**
 * The hostile LogoutRequest for the tenant's next IdP-initiated logout, started by `attacker`'s
 * IdP session, when a logout mutation is armed (once); undefined otherwise.
 */
export function deliverLogoutRequest(tenant: Tenant, attacker: string, now: Date): HostileLogout | undefined {
  const state = stateOf(tenant);
  const armed = state.nextLogout;
  state.nextLogout = undefined;
  const mutation = armed && findMutation(armed.id);
  if (!armed || mutation?.channel !== 'logout') return undefined;
  const victim = tenant.user(armed.victim)!;
  const ctx: LogoutMutationContext = {
    respondTo: (login, adjust) => {
      const user = tenant.user(login);
      if (!user) throw new IdpError('ERR_BAD_SETUP', `${login} is not a user of the tenant`);
      return tenant.respond(user, undefined, tenant.setup.app.ssoUrl, now, undefined, adjust).xml;
    },
    attacker,
    victimNameId: tenant.nameIdFor(victim),
    nameIdFormat: NAMEID_FORMATS[tenant.setup.app.nameId?.format ?? tenant.profile.defaultNameIdFormat],
    issuer: tenant.entityId,
    destination: tenant.setup.app.sloUrl!,
    now,
  };
  return mutation.binding === 'redirect'
    ? { binding: 'redirect', deflated: mutation.mutate(ctx) }
    : { binding: 'post', xml: mutation.mutate(ctx) };
}
