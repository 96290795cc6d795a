import { randomBytes } from 'node:crypto';
import { setRoleAttributes } from '../../role-attributes.js';
import type { SetupUser } from '../../setup.js';
import type { Tenant } from '../../tenant.js';
import { filterQuery, type ScimResponse } from '../client.js';
import type { TenantScim } from '../state.js';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const WORKATO_ROLE = 'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ROLE_ATTRIBUTES = ['workato_role', 'workato_role_test', 'workato_role_prod'] as const;

export type Params = Record<string, unknown>;
export type Action = (t: TenantScim, p: Params) => Promise<unknown>;

/**
 * A vendor's provisioning engine: the console actions it offers, each sending that vendor's SCIM
 * traffic, and what else differs by vendor, as hooks.
 */
export interface ProvisioningEngine {
  vendor: string;
  actions: Record<string, Action>;
  /** The id the vendor's directory gives a user (Okta `00u…`, OneLogin numeric, Entra object id). */
  newUserId(user: SetupUser): string;
  /** Where tools reach the vendor's management API for this tenant, and with which token. */
  managementApi(tenant: Tenant, t: TenantScim, baseUrl: string): Record<string, unknown>;
}

/** The id a setup file gives a directory user (`profile.id`), if any. */
export const givenUserId = (u: SetupUser): string | undefined =>
  typeof u.profile?.id === 'string' ? u.profile.id : undefined;

/** A request the engine cannot carry out: unknown user, missing parameter, unsupported action. */
export class EngineError extends Error {
  constructor(
    readonly code: 'ERR_SCIM_NO_USER' | 'ERR_SCIM_BAD_PARAMS' | 'ERR_SCIM_UNSUPPORTED' | 'ERR_SCIM_REFUSED',
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function userParam(t: TenantScim, p: Params): SetupUser {
  if (typeof p.user !== 'string') throw new EngineError('ERR_SCIM_BAD_PARAMS', 'give the user (a login)');
  const u = t.user(p.user);
  if (!u) throw new EngineError('ERR_SCIM_NO_USER', `no user ${p.user} in the directory`, 404);
  return u;
}

export function usersParam(t: TenantScim, p: Params): SetupUser[] {
  if (p.users === undefined) return t.users().filter((u) => u.assigned !== false);
  if (!Array.isArray(p.users)) throw new EngineError('ERR_SCIM_BAD_PARAMS', 'users must be a list of logins');
  return p.users.map((login) => userParam(t, { user: login }));
}

/**
 * Merges the given profile and app-user attributes into the directory user, and `roles`
 * (workato_role, workato_role_test, workato_role_prod) where the vendor keeps them.
 */
export function applyEdits(t: TenantScim, u: SetupUser, p: Params): void {
  if (p.profile && typeof p.profile === 'object') u.profile = { ...u.profile, ...(p.profile as object) };
  if (p.appUser && typeof p.appUser === 'object') u.appUser = { ...u.appUser, ...(p.appUser as object) };
  if (p.roles && typeof p.roles === 'object')
    setRoleAttributes(t.tenant.setup, u, p.roles as Record<string, unknown>);
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Refuses an SP answer the vendor would treat as a failed job. */
export function expectStatus(r: ScimResponse, ok: number[], what: string): ScimResponse {
  if (!ok.includes(r.status))
    throw new EngineError(
      'ERR_SCIM_REFUSED',
      `${what}: the SP answered ${r.status} ${JSON.stringify(r.body ?? '').slice(0, 300)}`,
      422,
    );
  return r;
}

/** `GET /Users?filter=userName eq "…"` with the vendor's extra query; the first hit, if any. */
export async function findUser(
  t: TenantScim,
  userName: string,
  extra = '',
): Promise<Record<string, unknown> | undefined> {
  const r = await t.client.request('GET', `/Users?${filterQuery('userName', userName)}${extra}`);
  if (r.status === 404) return undefined;
  expectStatus(r, [200], 'user lookup');
  const list = (r.body?.Resources as Record<string, unknown>[] | undefined) ?? [];
  return list[0];
}

export const placeholderPassword = () => randomBytes(12).toString('base64url');

export function roleValues(source: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of ROLE_ATTRIBUTES) {
    const v = source?.[a];
    if (typeof v === 'string' && v !== '') out[a] = v;
  }
  return out;
}
