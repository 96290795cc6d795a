import type { AuthMethod } from './store/environment-auth.js';
import type { Member } from './store/members.js';
import type { SamlSettings } from './store/workspaces.js';

/** Why a signed-in member may not open an environment. Codes are stable. */
export const ACCESS_ERROR_CODES = {
  ERR_ENV_UNKNOWN: 'the workspace has no such environment',
  ERR_ENV_NO_ACCESS: 'this member has no access to the environment',
  ERR_ENV_REQUIRES_SSO: 'the environment accepts only SAML SSO sign-ins',
  ERR_ENV_REQUIRES_PASSWORD: 'the environment accepts only password sign-ins',
  ERR_SSO_ENFORCED: 'this workspace requires this member to sign in with SAML SSO',
  ERR_BAD_CREDENTIALS: 'the email or password is wrong',
  ERR_PASSWORD_NOT_ACCEPTED: 'no environment of this workspace accepts password sign-ins',
} as const;
export type AccessErrorCode = keyof typeof ACCESS_ERROR_CODES;

/**
 * Seed 001 "Use the Enforce SAML authentication for drop-down menu to select who is required
 * to use SAML-based authentication", and "Authentication method: SAML-based SSO (required)"
 * for JIT users (they are created with auth method `saml`).
 */
export function samlRequiredFor(member: Member, settings: SamlSettings | undefined): boolean {
  if (!settings) return false;
  switch (settings.enforceSamlFor) {
    case 'all':
      return true;
    case 'all-except-admins':
      return !Object.values(member.roles).includes('Admin');
    case 'selected':
      return member.authMethod === 'saml';
  }
}

/**
 * Whether a session authenticated by `method` opens `environment` for `member`: the member
 * needs a role there other than NoAccess, and the environment must accept the method
 * (seed 001 "Dev: Password auth, Test: SSO, Prod: SSO").
 */
export function environmentRefusal(
  member: Member,
  environment: string,
  method: AuthMethod,
  methods: Record<string, AuthMethod[]>,
): AccessErrorCode | null {
  const accepted = methods[environment];
  if (!accepted) return 'ERR_ENV_UNKNOWN';
  const role = member.roles[environment];
  if (!role || role === 'NoAccess') return 'ERR_ENV_NO_ACCESS';
  if (!accepted.includes(method))
    return method === 'password' ? 'ERR_ENV_REQUIRES_SSO' : 'ERR_ENV_REQUIRES_PASSWORD';
  return null;
}
