import type { SetupUser } from '../setup.js';
import { ROLE_ATTRIBUTES } from '../scim/engines/engine.js';
import { hasScimState, scimStateOf, type Link, type ScimOptions } from '../scim/state.js';
import type { Tenant } from '../tenant.js';
import type { Flash } from './session.js';

/** One directory user as a console lists it. */
export interface ConsoleUser {
  login: string;
  name: string;
  assigned: boolean;
  status: Link['status'];
  /** The SP's SCIM id, once provisioned or matched. */
  scimId: string | undefined;
  pushedActive: boolean | undefined;
  groups: string[];
  /** Okta: assigned individually (`USER`) or through a group (`GROUP`). */
  scope: 'USER' | 'GROUP';
  profile: Record<string, unknown>;
  /** workato_role, workato_role_test, workato_role_prod where the vendor keeps them. */
  roles: Record<string, string>;
}

/** Everything a vendor's console page shows. */
export interface ConsoleModel {
  tenant: string;
  vendor: string;
  appName: string;
  csrf: string;
  flash: Flash | undefined;
  users: ConsoleUser[];
  groups: string[];
  /** Okta: the groups assigned to the app, highest priority first. */
  assignedGroups: string[];
  /** Okta: the app attribute values each assigned group gives its members. */
  groupValues: Record<string, Record<string, string>>;
  scim:
    | {
        baseUrl: string | undefined;
        options: ScimOptions;
        cycles: number;
        nextCycleAt: string;
        stopped: boolean;
        failures: { at: string; job: string; error: string }[];
      }
    | undefined;
}

/** Where each vendor keeps the role attributes (Okta app user profile, OneLogin custom fields, Entra directory extensions, Google custom schema). */
export function rolesOf(vendor: string, u: SetupUser): Record<string, string> {
  const p = u.profile ?? {};
  const source: Record<string, unknown> =
    vendor === 'okta'
      ? (u.appUser ?? {})
      : vendor === 'onelogin'
        ? ((p.custom_fields as Record<string, unknown> | undefined) ?? {})
        : vendor === 'google'
          ? (((p.customSchemas as Record<string, unknown> | undefined)?.Workato as
              Record<string, unknown> | undefined) ?? {})
          : Object.fromEntries(
              Object.entries(p)
                .map(([k, v]) => [/^extension_[0-9a-f]{32}_(.+)$/i.exec(k)?.[1], v] as const)
                .filter(([k]) => k !== undefined),
            );
  const out: Record<string, string> = {};
  for (const a of ROLE_ATTRIBUTES) out[a] = typeof source[a] === 'string' ? source[a] : '';
  return out;
}

export function consoleModel(tenant: Tenant, csrf: string, flash: Flash | undefined): ConsoleModel {
  const scim = tenant.profile.id !== 'google' ? scimStateOf(tenant) : undefined;
  const users = tenant.setup.users.map((u): ConsoleUser => {
    const link = scim && hasScimState(tenant) ? scim.links.get(u.login.toLowerCase()) : undefined;
    const p = u.profile ?? {};
    const name = [
      p.firstName ?? p.firstname ?? p.givenname ?? p['First name'],
      p.lastName ?? p.lastname ?? p.surname ?? p['Last name'],
    ]
      .filter((s) => typeof s === 'string' && s)
      .join(' ');
    return {
      login: u.login,
      name: name || u.login,
      assigned: u.assigned !== false,
      status: link?.status ?? 'active',
      scimId: link?.scimId,
      pushedActive: link?.pushedActive,
      groups: u.groups ?? [],
      scope: link?.scope ?? 'USER',
      profile: p,
      roles: rolesOf(tenant.profile.id, u),
    };
  });
  return {
    tenant: tenant.name,
    vendor: tenant.profile.id,
    appName: tenant.setup.app.name ?? 'SAML app',
    csrf,
    flash,
    users,
    groups: [...new Set(users.flatMap((u) => u.groups))].sort(),
    assignedGroups: scim ? [...scim.groupAssignments.keys()] : [],
    groupValues: Object.fromEntries(
      [...(scim?.groupAssignments ?? [])].map(([g, v]) => [
        g,
        Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])),
      ]),
    ),
    scim: scim && {
      baseUrl: scim.connection?.baseUrl,
      options: scim.options,
      cycles: scim.cycles,
      nextCycleAt: new Date(scim.nextCycleAt - scim.clockOffsetMs).toISOString(),
      stopped: scim.stopped,
      failures: scim.failures.slice(-5),
    },
  };
}
