import type { Db } from './db/open.js';
import { DEFAULT_ROLE, SYSTEM_ROLES, roleAttributeFor, roleFromIdp } from './roles.js';
import { audit } from './store/audit.js';
import { addMember, createUser, findMemberByUserId, findUserByEmail, type Member } from './store/members.js';
import { groupsOfMember, replaceMemberGroups } from './store/groups.js';
import { INVITED, openInvitation } from './store/invitations.js';
import { customRoleNames, defaultRoles, type SamlSettings, type Workspace } from './store/workspaces.js';

export const JIT_ERROR_CODES = {
  ERR_JIT_DISABLED: 'this person has no account in the workspace and JIT provisioning is off',
  ERR_JIT_UNKNOWN_ROLE: 'the IdP sent a role this workspace does not have (role names are case-sensitive)',
  ERR_JIT_NO_EMAIL: 'neither workato_email nor an email-format NameID was sent',
  ERR_MEMBER_INACTIVE: 'this member is not active in the workspace',
  ERR_INVITATION_PENDING:
    'this member was invited and has not verified their email address yet: open the link in the invitation email first',
} as const;
export type JitErrorCode = keyof typeof JIT_ERROR_CODES;

export class LoginRefused extends Error {
  readonly code: JitErrorCode;
  constructor(code: JitErrorCode, detail?: string) {
    super(detail ? `${JIT_ERROR_CODES[code]}: ${detail}` : JIT_ERROR_CODES[code]);
    this.name = 'LoginRefused';
    this.code = code;
  }
}

export interface SamlIdentity {
  nameId: string;
  nameIdFormat: string | undefined;
  attributes: Record<string, string[]>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const first = (attrs: Record<string, string[]>, name: string): string | undefined => {
  const v = attrs[name]?.find((x) => x.trim() !== '');
  return v?.trim();
};

/** Seed 000: workato_email, else the NameID in email format. */
export function emailFrom(identity: SamlIdentity): string {
  const email = first(identity.attributes, 'workato_email') ?? identity.nameId;
  if (!EMAIL.test(email)) throw new LoginRefused('ERR_JIT_NO_EMAIL', email);
  return email;
}

/** Seed 000: workato_full_name, else part of the SAML name (the NameID's local part). */
export function nameFrom(identity: SamlIdentity): string {
  return first(identity.attributes, 'workato_full_name') ?? identity.nameId.split('@')[0] ?? identity.nameId;
}

/** Seed 000 "ENVIRONMENTS": workato_role → DEV (or the only environment), workato_role_<env> otherwise. */
export function rolesFrom(
  identity: SamlIdentity,
  workspace: Workspace,
  environments: readonly string[],
  knownRoles: ReadonlySet<string>,
  /** Seed 001: each environment's default, for an environment the IdP sends no role for. */
  defaults: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const roles: Record<string, string> = {};
  for (const env of environments) {
    const sent = first(identity.attributes, roleAttributeFor(env, workspace.environments));
    const role = sent === undefined ? (defaults[env] ?? DEFAULT_ROLE) : roleFromIdp(sent);
    if (!knownRoles.has(role)) throw new LoginRefused('ERR_JIT_UNKNOWN_ROLE', `${role} for ${env}`);
    roles[env] = role;
  }
  return roles;
}

/** Seed 001 "Group membership: SAML group memberships are synced": the multi-valued `groups` attribute. */
export function groupsFrom(identity: SamlIdentity): string[] {
  return [...new Set((identity.attributes.groups ?? []).map((g) => g.trim()).filter(Boolean))];
}

export type SignInResult =
  | { kind: 'signed-in'; member: Member; created: boolean }
  /** Seed 000 "multiple workspaces": the account exists but has never used this workspace. */
  | {
      kind: 'verify-email';
      userId: number;
      email: string;
      roles: Record<string, string>;
      groups: string[];
    }
  /** Seeds 002–004: provisioned and invited, but the email address is not verified yet. */
  | { kind: 'invitation-pending'; member: Member; invitationExpired: boolean };

/** The environments a JIT-created member gets access to (seed 001 "Environment access"). */
export function jitEnvironments(workspace: Workspace, settings: SamlSettings): string[] {
  return (settings.jitEnvironments ?? workspace.environments).filter((e) =>
    workspace.environments.includes(e),
  );
}

export function knownRoles(db: Db, workspace: Workspace): Set<string> {
  return new Set<string>([...SYSTEM_ROLES, ...customRoleNames(db, workspace.id)]);
}

/** Adds a JIT member (new account, or an existing one after email verification) with its groups. */
export function addJitMember(
  db: Db,
  workspace: Workspace,
  userId: number,
  email: string,
  roles: Record<string, string>,
  groups: string[],
  now: Date,
  how: 'new-account' | 'email-verified',
): Member {
  const memberId = addMember(db, workspace.id, userId, roles, 'jit', now, 'saml');
  replaceMemberGroups(db, workspace.id, memberId, groups, 'jit', now);
  const member = findMemberByUserId(db, workspace.id, userId);
  if (!member) throw new Error('member vanished inside its own transaction');
  audit(db, workspace.id, 'jit', 'member.created', email, { name: member.name, roles, groups, how }, now);
  return member;
}

/**
 * Seed 001 "JIT provisioning behavior scenarios": an unknown user is created from the
 * assertion; an existing member is signed in without any change to their profile, roles
 * or groups.
 */
export function signInWithSaml(
  db: Db,
  workspace: Workspace,
  settings: SamlSettings,
  identity: SamlIdentity,
  now: Date,
): SignInResult {
  const email = emailFrom(identity);
  return db.transaction((): SignInResult => {
    const user = findUserByEmail(db, email);
    const existing = user && findMemberByUserId(db, workspace.id, user.id);
    if (existing) {
      if (existing.status === INVITED) {
        const invitation = openInvitation(db, existing.memberId);
        // TROUBLESHOOTING of seeds 002–004: an existing account joins as for a further workspace.
        if (invitation?.existingAccount) {
          return {
            kind: 'verify-email',
            userId: existing.userId,
            email: existing.email,
            roles: existing.roles,
            groups: groupsOfMember(db, existing.memberId),
          };
        }
        const expired = !invitation || Date.parse(invitation.expiresAt) <= now.getTime();
        return { kind: 'invitation-pending', member: existing, invitationExpired: expired };
      }
      if (existing.status !== 'active') throw new LoginRefused('ERR_MEMBER_INACTIVE', existing.status);
      // Seed 001: the profile and permissions are never updated from SAML; groups only when syncing is on.
      if (settings.groupSync) {
        const change = replaceMemberGroups(
          db,
          workspace.id,
          existing.memberId,
          groupsFrom(identity),
          'jit',
          now,
        );
        if (change.added.length || change.removed.length) {
          audit(
            db,
            workspace.id,
            'jit',
            'member.groups-synced',
            existing.email,
            {
              ...change,
              groups: groupsOfMember(db, existing.memberId),
            },
            now,
          );
        }
      }
      return { kind: 'signed-in', member: existing, created: false };
    }
    if (!settings.jit) throw new LoginRefused('ERR_JIT_DISABLED', email);
    const roles = rolesFrom(
      identity,
      workspace,
      jitEnvironments(workspace, settings),
      knownRoles(db, workspace),
      defaultRoles(db, workspace),
    );
    const groups = groupsFrom(identity);
    if (user) return { kind: 'verify-email', userId: user.id, email: user.email, roles, groups };
    const userId = createUser(db, email, nameFrom(identity), now);
    const member = addJitMember(db, workspace, userId, email, roles, groups, now, 'new-account');
    return { kind: 'signed-in', member, created: true };
  })();
}
