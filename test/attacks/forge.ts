import { inflateRawSync } from 'node:zlib';
import { armMutation, deliverResponse } from '../../mock-idp/src/attacks/index.js';
import { admin, errorCodeOf, type World } from '../helpers/world.js';

export const MARIA = 'maria.garcia@acme.example';

/** Starts an SP-initiated sign-in at the SP and returns the ID of the AuthnRequest it sent. */
export async function solicit(world: World): Promise<string> {
  const res = await fetch(`${world.sp.url}/saml/acme/login`, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (!location) throw new Error(`the SP did not redirect to the IdP (${res.status})`);
  const encoded = new URL(location).searchParams.get('SAMLRequest');
  if (!encoded) throw new Error('no SAMLRequest in the redirect');
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const id = /\sID="([^"]+)"/.exec(xml)?.[1];
  if (!id) throw new Error('the AuthnRequest has no ID');
  return id;
}

/** Posts a SAMLResponse form value to the ACS as the POST binding does. */
export async function postValue(
  world: World,
  samlResponse: string,
): Promise<{ status: number; code?: string }> {
  const res = await fetch(world.acsUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse }),
  });
  return { status: res.status, code: errorCodeOf(await res.text()) };
}

/** One SP-initiated sign-in of Maria in which the IdP delivers `mutation` (or the plain response). */
export async function signInWith(
  world: World,
  mutation?: string,
): Promise<{ status: number; code?: string }> {
  const requestId = await solicit(world);
  if (mutation) armMutation(world.tenant, mutation);
  const user = world.tenant.user(MARIA)!;
  const value = deliverResponse(world.tenant, user, requestId, world.acsUrl, new Date());
  return postValue(world, value);
}

export interface SpState {
  members: { email: string; status: string; roles: Record<string, string> }[];
  sessions: { email: string }[];
}

export async function spState(world: World): Promise<SpState> {
  const members = await admin<SpState['members']>(world.sp, 'GET', '/workspaces/acme/members');
  const sessions = await admin<SpState['sessions']>(world.sp, 'GET', '/workspaces/acme/sessions');
  return {
    members: members.body.map((m) => ({ email: m.email, status: m.status, roles: m.roles })),
    sessions: sessions.body.map((s) => ({ email: s.email })),
  };
}

/** Re-points the workspace at the tenant with IdP-initiated sign-in off and, if asked, SHA-1 refused. */
export async function strictPolicy(world: World, refuseSha1 = false): Promise<void> {
  const md = await (await fetch(`${world.idp.url}/${world.tenant.name}/metadata`)).text();
  const r = await admin(world.sp, 'PUT', '/workspaces/acme/saml', {
    metadataXml: md,
    jit: true,
    allowIdpInitiated: false,
    allowSha1: refuseSha1 ? false : null,
  });
  if (r.status !== 200) throw new Error(`PUT saml answered ${r.status}`);
}
