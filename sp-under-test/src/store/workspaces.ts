import type { Db } from '../db/open.js';
import { DEFAULT_ROLE } from '../roles.js';

export interface Workspace {
  id: number;
  slug: string;
  name: string;
  environments: string[];
}

export interface SamlSettings {
  idpEntityId: string;
  ssoUrl: string;
  sloUrl: string | null;
  certificates: string[];
  jit: boolean;
  /** Environments a JIT-created member gets access to; null means all of them. */
  jitEnvironments: string[] | null;
  allowIdpInitiated: boolean;
  /** Seed 001 "Enforce SAML authentication for": who must use SSO rather than a password. */
  enforceSamlFor: EnforceSamlFor;
  /** Seed 001 "Enable user groups syncing": group memberships follow the assertion on every login. */
  groupSync: boolean;
  /** Whether RSA-SHA1 signatures are accepted; null or absent keeps the SP-wide default. */
  allowSha1?: boolean | null;
  /** Whether AuthnRequests are signed (HTTP-Redirect query signature, SAML Bindings 3.4.4.1); absent means no. */
  signAuthnRequests?: boolean;
}

/** `selected`: members marked SSO-required (every JIT-created member is); `all-except-admins`: everyone without an Admin role. */
export type EnforceSamlFor = 'all' | 'all-except-admins' | 'selected';
export const ENFORCE_SAML_FOR: readonly EnforceSamlFor[] = ['all', 'all-except-admins', 'selected'];

interface WorkspaceRow {
  id: number;
  slug: string;
  name: string;
  environments: string;
}

const toWorkspace = (r: WorkspaceRow): Workspace => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  environments: JSON.parse(r.environments) as string[],
});

export function createWorkspace(
  db: Db,
  slug: string,
  name: string,
  environments: string[],
  now: Date,
): Workspace {
  const info = db
    .prepare('INSERT INTO workspaces (slug, name, environments, created_at) VALUES (?, ?, ?, ?)')
    .run(slug, name, JSON.stringify(environments), now.toISOString());
  return { id: Number(info.lastInsertRowid), slug, name, environments };
}

export function findWorkspace(db: Db, slug: string): Workspace | undefined {
  const row = db.prepare('SELECT * FROM workspaces WHERE slug = ?').get(slug) as WorkspaceRow | undefined;
  return row && toWorkspace(row);
}

export function findWorkspaceById(db: Db, id: number): Workspace | undefined {
  const row = db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
  return row && toWorkspace(row);
}

export function listWorkspaces(db: Db): Workspace[] {
  return (db.prepare('SELECT * FROM workspaces ORDER BY id').all() as WorkspaceRow[]).map(toWorkspace);
}

export function putSamlSettings(db: Db, workspaceId: number, s: SamlSettings, now: Date): void {
  db.prepare(
    `INSERT INTO saml_settings (workspace_id, idp_entity_id, sso_url, slo_url, certificates, jit, jit_environments,
       allow_idp_initiated, enforce_saml_for, group_sync, allow_sha1, sign_authn_requests, updated_at)
     VALUES (@workspaceId, @idpEntityId, @ssoUrl, @sloUrl, @certificates, @jit, @jitEnvironments, @allowIdpInitiated,
       @enforceSamlFor, @groupSync, @allowSha1, @signAuthnRequests, @now)
     ON CONFLICT (workspace_id) DO UPDATE SET idp_entity_id = excluded.idp_entity_id, sso_url = excluded.sso_url,
       slo_url = excluded.slo_url, certificates = excluded.certificates, jit = excluded.jit,
       jit_environments = excluded.jit_environments, allow_idp_initiated = excluded.allow_idp_initiated,
       enforce_saml_for = excluded.enforce_saml_for, group_sync = excluded.group_sync,
       allow_sha1 = excluded.allow_sha1, sign_authn_requests = excluded.sign_authn_requests,
       updated_at = excluded.updated_at`,
  ).run({
    workspaceId,
    idpEntityId: s.idpEntityId,
    ssoUrl: s.ssoUrl,
    sloUrl: s.sloUrl,
    certificates: JSON.stringify(s.certificates),
    jit: s.jit ? 1 : 0,
    jitEnvironments: s.jitEnvironments ? JSON.stringify(s.jitEnvironments) : null,
    allowIdpInitiated: s.allowIdpInitiated ? 1 : 0,
    enforceSamlFor: s.enforceSamlFor,
    groupSync: s.groupSync ? 1 : 0,
    allowSha1: s.allowSha1 === undefined || s.allowSha1 === null ? null : s.allowSha1 ? 1 : 0,
    signAuthnRequests: s.signAuthnRequests ? 1 : 0,
    now: now.toISOString(),
  });
}

export function getSamlSettings(db: Db, workspaceId: number): SamlSettings | undefined {
  const r = db.prepare('SELECT * FROM saml_settings WHERE workspace_id = ?').get(workspaceId) as
    Record<string, string | number | null> | undefined;
  if (!r) return undefined;
  return {
    idpEntityId: String(r.idp_entity_id),
    ssoUrl: String(r.sso_url),
    sloUrl: r.slo_url === null ? null : String(r.slo_url),
    certificates: JSON.parse(String(r.certificates)) as string[],
    jit: r.jit === 1,
    jitEnvironments:
      r.jit_environments === null ? null : (JSON.parse(String(r.jit_environments)) as string[]),
    allowIdpInitiated: r.allow_idp_initiated === 1,
    enforceSamlFor: String(r.enforce_saml_for) as EnforceSamlFor,
    groupSync: r.group_sync === 1,
    allowSha1: r.allow_sha1 === null || r.allow_sha1 === undefined ? null : r.allow_sha1 === 1,
    signAuthnRequests: r.sign_authn_requests === 1,
  };
}

export function addCustomRole(db: Db, workspaceId: number, name: string, permissions: object): void {
  db.prepare(
    `INSERT INTO custom_roles (workspace_id, name, permissions) VALUES (?, ?, ?)
     ON CONFLICT (workspace_id, name) DO UPDATE SET permissions = excluded.permissions`,
  ).run(workspaceId, name, JSON.stringify(permissions));
}

export function customRoleNames(db: Db, workspaceId: number): string[] {
  return (
    db.prepare('SELECT name FROM custom_roles WHERE workspace_id = ? ORDER BY name').all(workspaceId) as {
      name: string;
    }[]
  ).map((r) => r.name);
}

export function customRoles(
  db: Db,
  workspaceId: number,
): { name: string; permissions: Record<string, unknown> }[] {
  return (
    db
      .prepare('SELECT name, permissions FROM custom_roles WHERE workspace_id = ? ORDER BY name')
      .all(workspaceId) as {
      name: string;
      permissions: string;
    }[]
  ).map((r) => ({ name: r.name, permissions: JSON.parse(r.permissions) as Record<string, unknown> }));
}

/**
 * Seed 001 "Permissions: Based on the environment's default end-user permissions": the role a
 * new member gets in each environment when the IdP sends none (seed 000's default, Operator,
 * unless the workspace set another for that environment).
 */
export function defaultRoles(db: Db, ws: Workspace): Record<string, string> {
  const row = db.prepare('SELECT default_roles FROM workspaces WHERE id = ?').get(ws.id) as
    { default_roles: string | null } | undefined;
  const set = row?.default_roles ? (JSON.parse(row.default_roles) as Record<string, string>) : {};
  return Object.fromEntries(ws.environments.map((env) => [env, set[env] ?? DEFAULT_ROLE]));
}

/** Sets the default role of some environments; the others keep theirs. */
export function putDefaultRoles(db: Db, ws: Workspace, roles: Record<string, string>): void {
  const row = db.prepare('SELECT default_roles FROM workspaces WHERE id = ?').get(ws.id) as
    { default_roles: string | null } | undefined;
  const set = row?.default_roles ? (JSON.parse(row.default_roles) as Record<string, string>) : {};
  db.prepare('UPDATE workspaces SET default_roles = ? WHERE id = ?').run(
    JSON.stringify({ ...set, ...roles }),
    ws.id,
  );
}
