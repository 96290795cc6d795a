/** System roles every workspace has. Role names are case-sensitive. */
export const SYSTEM_ROLES = ['Admin', 'Analyst', 'Operator', 'NoAccess'] as const;
export const DEFAULT_ROLE = 'Operator';

/** The role that closes an environment. */
export const NO_ACCESS = 'NoAccess';

/**
 * How an IdP may write "no access" for an environment, on the SAML and the SCIM path alike:
 * seed 004 sends `NoAccess` ("updates a user's role to NoAccess in the PROD environment"), and
 * seed 002 lists `<No access` among the attribute members of Okta's enumerated `workato_role`
 * (the console value `<No access>`, and as the seed prints it). Nothing else: role names are
 * case-sensitive (seed 000 "This is case-sensitive", seed 003 "Role names are case-sensitive").
 */
export const NO_ACCESS_SPELLINGS: readonly string[] = [NO_ACCESS, '<No access>', '<No access'];

/** A role value as an IdP sent it, read by the one rule both paths share (trimmed, "no access" spellings folded). */
export function roleFromIdp(value: string): string {
  const v = value.trim();
  return NO_ACCESS_SPELLINGS.includes(v) ? NO_ACCESS : v;
}

/** SAML attribute that carries the role for each environment (seed 000, "ENVIRONMENTS"). */
export function roleAttributeFor(environment: string, environments: readonly string[]): string {
  if (environments.length <= 1 || environment === environments[0]) return 'workato_role';
  return `workato_role_${environment.toLowerCase()}`;
}
