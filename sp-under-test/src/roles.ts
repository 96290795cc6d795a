/** System roles every workspace has. Role names are case-sensitive. */
export const SYSTEM_ROLES = ['Admin', 'Analyst', 'Operator', 'NoAccess'] as const;
export const DEFAULT_ROLE = 'Operator';

/** SAML attribute that carries the role for each environment (seed 000, "ENVIRONMENTS"). */
export function roleAttributeFor(environment: string, environments: readonly string[]): string {
  if (environments.length <= 1 || environment === environments[0]) return 'workato_role';
  return `workato_role_${environment.toLowerCase()}`;
}
