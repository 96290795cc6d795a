import type { SetupUser, TenantSetup } from './setup.js';

/**
 * Where each vendor's console keeps a user's role attributes (`workato_role`,
 * `workato_role_test`, `workato_role_prod`), as seeds 000–004 have the admin configure them:
 * Okta's app user profile (`appuser.workato_role`), OneLogin's custom user fields
 * (`{$user.custom_fields.workato_role}`), Entra's directory extension attributes
 * (`extension_<appid>_workato_role`) and Google's custom schema (`Workato.workato_role`).
 */
export function setRoleAttributes(setup: TenantSetup, u: SetupUser, roles: Record<string, unknown>): void {
  switch (setup.vendor) {
    case 'onelogin': {
      const custom = (u.profile?.custom_fields as Record<string, unknown> | undefined) ?? {};
      u.profile = { ...u.profile, custom_fields: { ...custom, ...roles } };
      return;
    }
    case 'entra': {
      const appId = entraExtensionAppId(setup);
      u.profile = {
        ...u.profile,
        ...Object.fromEntries(Object.entries(roles).map(([k, v]) => [`extension_${appId}_${k}`, v])),
      };
      return;
    }
    case 'google': {
      const schema = googleSchema(setup);
      const schemas = (u.profile?.customSchemas as Record<string, Record<string, unknown>> | undefined) ?? {};
      u.profile = { ...u.profile, customSchemas: { ...schemas, [schema]: { ...schemas[schema], ...roles } } };
      return;
    }
    default:
      u.appUser = { ...u.appUser, ...roles };
  }
}

/** The app id in Entra's `extension_<appid>_workato_role` names, from the app's claims. */
export function entraExtensionAppId(setup: TenantSetup): string {
  for (const st of setup.app.attributeStatements ?? []) {
    const m = /extension_([0-9a-f]{32})_/i.exec(st.value);
    if (m) return m[1]!;
  }
  return '0'.repeat(32);
}

/** The custom schema Google's attribute mapping reads the roles from (`Workato.workato_role`). */
function googleSchema(setup: TenantSetup): string {
  for (const st of setup.app.attributeStatements ?? []) {
    const m = /^([^.\s]+)\.workato_role/.exec(st.value);
    if (m) return m[1]!;
  }
  return 'Workato';
}
