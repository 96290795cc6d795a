import type { Db } from './db/open.js';
import { DEFAULT_ROLE, SYSTEM_ROLES, roleAttributeFor } from './roles.js';
import { audit } from './store/audit.js';
import { addMember, createUser, findMemberByUserId, findUserByEmail, type Member } from './store/members.js';
import { customRoleNames, type SamlSettings, type Workspace } from './store/workspaces.js';

export const JIT_ERROR_CODES = {
  ERR_JIT_DISABLED: 'this person has no account in the workspace and JIT provisioning is off',
  ERR_JIT_UNKNOWN_ROLE: 'the IdP sent a role this workspace does not have (role names are case-sensitive)',
  ERR_JIT_NO_EMAIL: 'neither workato_email nor an email-format NameID was sent',
  ERR_MEMBER_INACTIVE: 'this member is not active in the workspace',
  ERR_VERIFICATION_REQUIRED: 'this account must verify its email address before joining another workspace',
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
): Record<string, string> {
  const roles: Record<string, string> = {};
  for (const env of environments) {
    const role = first(identity.attributes, roleAttributeFor(env, workspace.environments)) ?? DEFAULT_ROLE;
    if (!knownRoles.has(role)) throw new LoginRefused('ERR_JIT_UNKNOWN_ROLE', `${role} for ${env}`);
    roles[env] = role;
  }
  return roles;
}

export interface SignInResult {
  member: Member;
  created: boolean;
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
      if (existing.status !== 'active') throw new LoginRefused('ERR_MEMBER_INACTIVE', existing.status);
      return { member: existing, created: false };
    }
    if (!settings.jit) throw new LoginRefused('ERR_JIT_DISABLED', email);
    if (user) throw new LoginRefused('ERR_VERIFICATION_REQUIRED', email);
    const known = new Set<string>([...SYSTEM_ROLES, ...customRoleNames(db, workspace.id)]);
    const environments = (settings.jitEnvironments ?? workspace.environments).filter((e) =>
      workspace.environments.includes(e),
    );
    const roles = rolesFrom(identity, workspace, environments, known);
    const name = nameFrom(identity);
    const userId = createUser(db, email, name, now);
    addMember(db, workspace.id, userId, roles, 'jit', now);
    audit(db, workspace.id, 'jit', 'member.created', email, { name, roles }, now);
    const member = findMemberByUserId(db, workspace.id, userId);
    if (!member) throw new Error('member vanished inside its own transaction');
    return { member, created: true };
  })();
}
