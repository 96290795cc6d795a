import { IdpError } from './errors.js';
import { profileFor } from './profiles/index.js';
import type { SetupUser, TenantSetup } from './setup.js';

/**
 * Gives a directory user role attributes (`workato_role`, `workato_role_test`,
 * `workato_role_prod`) where the setup's vendor keeps them, as seeds 000–004 have the admin
 * configure them: each vendor profile's `storeRoles`.
 */
export function setRoleAttributes(setup: TenantSetup, u: SetupUser, roles: Record<string, unknown>): void {
  const profile = profileFor(setup.vendor);
  if (!profile) throw new IdpError('ERR_BAD_SETUP', `vendor ${setup.vendor} is not available`);
  profile.storeRoles(u, roles, setup.app);
}
