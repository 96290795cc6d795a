import { DEFAULT_ROLE, SYSTEM_ROLES, roleAttributeFor, roleFromIdp } from '../roles.js';
import type { Db } from '../db/open.js';
import { audit } from '../store/audit.js';
import { INVITED, invitationPending } from '../store/invitations.js';
import { findMemberByUserId, setMemberRoles, setMemberStatus } from '../store/members.js';
import { defaultRoles, type Workspace } from '../store/workspaces.js';
import { ScimError } from './errors.js';
import { equalityOn, matches } from './filter.js';
import { URN, USER_KIND } from './schemas.js';
import { isObject, type Json, type JsonObject } from './values.js';
import type { Filter } from 'scim2-parse-filter';

/**
 * SCIM Users over the workspace's members (seeds 002–004). Every member has a SCIM identity
 * (see migration 0002), so a user who first came in through SAML is found by `userName eq`
 * and matched, never duplicated. `active` is the member's status, and the WorkatoRole
 * extension is the member's role per environment; both apply to the member's very next
 * request, since sessions re-read the member each time. Every change is audited with source
 * `scim_auto_sync`.
 */
export const SOURCE = 'scim_auto_sync';

/** Status of a member whose SCIM `active` is false (Okta suspend/deactivate/unassign, OneLogin, Entra). */
export const DEACTIVATED = 'deactivated';
/** Status of a member whose SCIM resource was deleted; the member row, roles and assets stay. */
export const DELETED = 'deleted';

/** Statuses in which the IdP's `active: true` holds: signed-in members, and invited ones not yet verified. */
const isProvisioned = (status: string) => status === 'active' || status === INVITED;

export interface UserRow {
  member_id: number;
  workspace_id: number;
  scim_id: string;
  user_name: string;
  external_id: string | null;
  attributes: string;
  version: number;
  created_at: string;
  last_modified: string;
  /** The address the resource names; the member's own address until a SCIM client says otherwise. */
  scim_email: string | null;
  /** 1 once a SCIM client created or wrote the resource. */
  provisioned: number;
  status: string;
  user_id: number;
  email: string;
  name: string;
}

const SELECT = `SELECT s.member_id, s.workspace_id, s.scim_id, s.user_name, s.external_id, s.attributes, s.version,
  s.created_at, s.last_modified, s.email AS scim_email, s.provisioned, m.status, m.user_id, u.email, u.name
  FROM scim_users s JOIN members m ON m.id = s.member_id JOIN users u ON u.id = m.user_id`;

export const etagOf = (version: number) => `W/"${version}"`;

export class UserStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      byId: db.prepare(`${SELECT} WHERE s.workspace_id = ? AND s.scim_id = ?`),
      byUserName: db.prepare(`${SELECT} WHERE s.workspace_id = ? AND s.user_name = ?`),
      byExternalId: db.prepare(
        `${SELECT} WHERE s.workspace_id = ? AND s.external_id = ? ORDER BY s.member_id`,
      ),
      all: db.prepare(`${SELECT} WHERE s.workspace_id = ? ORDER BY s.member_id`),
      page: db.prepare(`${SELECT} WHERE s.workspace_id = ? ORDER BY s.member_id LIMIT ? OFFSET ?`),
      count: db.prepare('SELECT count(*) AS n FROM scim_users WHERE workspace_id = ?'),
      roles: db.prepare('SELECT environment, role FROM member_roles WHERE member_id = ?'),
      groups: db.prepare(
        `SELECT g.scim_id, g.display_name FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id
         WHERE gm.member_id = ? ORDER BY g.id`,
      ),
      byEmail: db.prepare(`${SELECT} WHERE s.workspace_id = ? AND s.email = ?`),
      // From the address to its user, member and identity: never a scan of the workspace.
      memberWithIdentityByEmail: db.prepare(
        `${SELECT} WHERE m.workspace_id = ? AND u.email = ? AND s.workspace_id = m.workspace_id`,
      ),
      upsert: db.prepare(
        `INSERT INTO scim_users (member_id, workspace_id, scim_id, user_name, external_id, attributes, version, created_at, last_modified, email, provisioned)
         VALUES (@memberId, @workspaceId, lower(hex(randomblob(16))), @userName, @externalId, @attributes, 1, @now, @now, @email, 1)
         ON CONFLICT (member_id) DO UPDATE SET user_name = excluded.user_name, external_id = excluded.external_id,
           attributes = excluded.attributes, version = scim_users.version + 1, last_modified = excluded.last_modified,
           email = excluded.email, provisioned = 1`,
      ),
      insertFresh: db.prepare(
        `INSERT INTO scim_users (member_id, workspace_id, scim_id, user_name, external_id, attributes, version, created_at, last_modified, email, provisioned)
         VALUES (@memberId, @workspaceId, lower(hex(randomblob(16))), @userName, @externalId, @attributes, 1, @now, @now, @email, 1)`,
      ),
      update: db.prepare(
        `UPDATE scim_users SET user_name = @userName, external_id = @externalId, attributes = @attributes,
           email = @email, provisioned = 1, version = version + 1, last_modified = @now WHERE member_id = @memberId`,
      ),
      claim: db.prepare('UPDATE scim_users SET provisioned = 1 WHERE member_id = ? AND provisioned = 0'),
      init: db.prepare(
        `UPDATE scim_users SET user_name = @userName, external_id = @externalId, attributes = @attributes,
           email = @email, provisioned = 1 WHERE member_id = @memberId`,
      ),
      remove: db.prepare('DELETE FROM scim_users WHERE member_id = ?'),
      touchGroupsOf: db.prepare(
        `UPDATE scim_groups SET version = version + 1, last_modified = ?
         WHERE id IN (SELECT group_id FROM scim_group_members WHERE member_id = ?)`,
      ),
      setName: db.prepare('UPDATE users SET name = ? WHERE id = ?'),
      byMemberId: db.prepare(`${SELECT} WHERE s.member_id = ?`),
      userByEmail: db.prepare('SELECT id FROM users WHERE email = ?'),
      memberOf: db.prepare('SELECT id FROM members WHERE workspace_id = ? AND user_id = ?'),
      insertUser: db.prepare('INSERT INTO users (email, name, created_at) VALUES (?, ?, ?)'),
      insertMember: db.prepare(
        "INSERT INTO members (workspace_id, user_id, status, auth_method, source, created_at, invitation_pending) VALUES (?, ?, ?, 'saml', ?, ?, 1)",
      ),
      insertRole: db.prepare('INSERT INTO member_roles (member_id, environment, role) VALUES (?, ?, ?)'),
      audit: db.prepare(
        'INSERT INTO audit_events (workspace_id, at, source, action, subject, details) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      customRoles: db.prepare('SELECT name FROM custom_roles WHERE workspace_id = ?'),
    };
  }

  find(ws: Workspace, id: string): UserRow {
    const row = this.q.byId.get(ws.id, id) as UserRow | undefined;
    if (!row) throw new ScimError('ERR_SCIM_NOT_FOUND', `User ${id}`);
    return row;
  }

  /** Members matching `filter` (all when undefined), with the total, for one page. */
  query(
    ws: Workspace,
    filter: Filter | undefined,
    startIndex: number,
    count: number,
    render: (r: UserRow) => JsonObject,
  ): { total: number; rows: JsonObject[] } {
    if (!filter) {
      const total = (this.q.count.get(ws.id) as { n: number }).n;
      const rows = count === 0 ? [] : (this.q.page.all(ws.id, count, startIndex - 1) as UserRow[]);
      return { total, rows: rows.map(render) };
    }
    // Indexed lookups for what IdPs actually send (userName eq, externalId eq, id eq); the
    // full filter is still evaluated on the candidates.
    const userName = equalityOn(filter, 'userName');
    const externalId = equalityOn(filter, 'externalId');
    const id = equalityOn(filter, 'id');
    const candidates =
      userName !== undefined
        ? (this.q.byUserName.all(ws.id, userName) as UserRow[])
        : externalId !== undefined
          ? (this.q.byExternalId.all(ws.id, externalId) as UserRow[])
          : id !== undefined
            ? (this.q.byId.all(ws.id, id) as UserRow[])
            : (this.q.all.all(ws.id) as UserRow[]);
    const hits = candidates.map(render).filter((r) => matches(USER_KIND, filter, r));
    return { total: hits.length, rows: hits.slice(startIndex - 1, startIndex - 1 + count) };
  }

  rolesOf(memberId: number): Record<string, string> {
    return Object.fromEntries(
      (this.q.roles.all(memberId) as { environment: string; role: string }[]).map((r) => [
        r.environment,
        r.role,
      ]),
    );
  }

  groupsOf(memberId: number): { value: string; display: string }[] {
    return (this.q.groups.all(memberId) as { scim_id: string; display_name: string }[]).map((g) => ({
      value: g.scim_id,
      display: g.display_name,
    }));
  }

  /**
   * The stored resource in canonical form without `id`, `meta` and `groups`: what PATCH
   * starts from. A member who came in through SAML gets its name and email from the member.
   */
  canonical(ws: Workspace, row: UserRow): JsonObject {
    const attrs = JSON.parse(row.attributes) as JsonObject;
    const out: JsonObject = { userName: row.user_name };
    if (row.external_id !== null) out.externalId = row.external_id;
    Object.assign(out, attrs);
    if (!isObject(out.name)) {
      const parts = row.name.trim().split(/\s+/);
      const familyName = parts.length > 1 ? parts.pop()! : '';
      out.name = { formatted: row.name, givenName: parts.join(' '), ...(familyName ? { familyName } : {}) };
    }
    if (out.displayName === undefined) out.displayName = row.name;
    if (!Array.isArray(out.emails)) out.emails = [{ value: row.email, type: 'work', primary: true }];
    out.active = isProvisioned(row.status);
    const roles = this.rolesOf(row.member_id);
    const ext: JsonObject = {};
    for (const env of ws.environments) {
      const role = roles[env];
      if (role !== undefined) ext[roleAttributeFor(env, ws.environments)] = role;
    }
    if (Object.keys(ext).length) out[URN.workatoRole] = ext;
    return out;
  }

  /**
   * Creates a member from a canonical resource. A member with the same address is taken over
   * only while no SCIM client holds it: one whose identity only the members trigger gave
   * (existing SSO users brought under provisioning: `member.linked`) or whose resource was
   * deleted (`member.reprovisioned`). A userName or address another resource holds is 409.
   * A new member is `invited` (seeds 002–004): `invite` asks the caller to mail the
   * invitation, `existingAccount` says the person already has an account elsewhere.
   */
  create(
    ws: Workspace,
    res: JsonObject,
    now: Date,
  ): { row: UserRow; invite: boolean; existingAccount: boolean } {
    const userName = requireUserName(res);
    const named = this.q.byUserName.get(ws.id, userName) as UserRow | undefined;
    if (named) throw taken('userName', userName, named);
    const email = addressOf(res) ?? userNameAddress(userName);
    const name = nameOf(res) ?? email.split('@')[0]!;
    const wanted = this.rolesFrom(ws, res);
    const active = res.active !== false;
    const user = this.q.userByEmail.get(email) as { id: number } | undefined;
    const existing =
      user && this.q.memberOf.get(ws.id, user.id) ? findMemberByUserId(this.db, ws.id, user.id) : undefined;
    const identity = existing ? (this.q.byMemberId.get(existing.memberId) as UserRow | undefined) : undefined;
    if (identity?.provisioned) throw taken('emails', email, identity);
    this.requireFreeAddress(ws, email, existing?.memberId);
    const stored = storedAttributes(res);
    let memberId: number;
    let invite = false;
    if (existing) {
      // A member this workspace already knows: a SAML user being brought under SCIM, or a
      // deleted member coming back. Earlier roles stay unless the request names new ones.
      memberId = existing.memberId;
      const had = identity !== undefined;
      const roles = { ...existing.roles, ...wanted };
      if (Object.keys(wanted).length) setMemberRoles(this.db, memberId, roles);
      setMemberStatus(this.db, memberId, this.statusWhenActive(memberId, active));
      this.q.upsert.run({
        memberId,
        workspaceId: ws.id,
        userName,
        externalId: externalIdOf(res),
        attributes: stored,
        email,
        now: now.toISOString(),
      });
      audit(
        this.db,
        ws.id,
        SOURCE,
        had ? 'member.linked' : 'member.reprovisioned',
        email,
        { userName, roles, active },
        now,
      );
    } else {
      // The hot path of a bulk push: the same inserts as store/members.ts createUser and
      // addMember, through statements prepared once.
      const at = now.toISOString();
      const userId = user?.id ?? Number(this.q.insertUser.run(email, name, at).lastInsertRowid);
      const roles: Record<string, string> = {};
      const defaults = defaultRoles(this.db, ws);
      for (const env of ws.environments) roles[env] = wanted[env] ?? defaults[env] ?? DEFAULT_ROLE;
      memberId = Number(
        this.q.insertMember.run(ws.id, userId, active ? INVITED : DEACTIVATED, 'scim', at).lastInsertRowid,
      );
      for (const [env, role] of Object.entries(roles)) this.q.insertRole.run(memberId, env, role);
      // The members trigger gave the new member its SCIM identity; fill in the resource.
      const fill = {
        memberId,
        workspaceId: ws.id,
        userName,
        externalId: externalIdOf(res),
        attributes: stored,
        email,
        now: now.toISOString(),
      };
      if (this.q.init.run(fill).changes === 0) this.q.insertFresh.run(fill);
      this.q.audit.run(
        ws.id,
        at,
        SOURCE,
        'member.created',
        email,
        JSON.stringify({ userName, name, roles, active }),
      );
      invite = active;
    }
    const row = this.q.byMemberId.get(memberId) as UserRow;
    return { row, invite, existingAccount: user !== undefined };
  }

  /** The status `active` (true or false) from the IdP means for this member: never-verified members stay invited. */
  private statusWhenActive(memberId: number, active: boolean): string {
    if (!active) return DEACTIVATED;
    return invitationPending(this.db, memberId) ? INVITED : 'active';
  }

  /** Replaces the member's resource with `res` (PUT, or the result of a PATCH). */
  replace(ws: Workspace, row: UserRow, res: JsonObject, now: Date): UserRow {
    const before = this.canonical(ws, row);
    const userName = requireUserName(res);
    if (userName.toLowerCase() !== row.user_name.toLowerCase()) {
      const other = this.q.byUserName.get(ws.id, userName) as UserRow | undefined;
      if (other && other.member_id !== row.member_id) throw taken('userName', userName, other);
    }
    const held = row.scim_email ?? row.email;
    const email = addressOf(res) ?? row.email;
    if (email.toLowerCase() !== held.toLowerCase()) this.requireFreeAddress(ws, email, row.member_id);
    this.q.claim.run(row.member_id);
    const wanted = this.rolesFrom(ws, res);
    const oldRoles = this.rolesOf(row.member_id);
    const roles = { ...oldRoles, ...wanted };
    const changedRoles = Object.keys(roles).filter((env) => roles[env] !== oldRoles[env]);
    if (changedRoles.length) {
      setMemberRoles(this.db, row.member_id, roles);
      audit(this.db, ws.id, SOURCE, 'member.role_changed', row.email, { from: oldRoles, to: roles }, now);
    }
    if (res.active !== undefined) {
      const active = res.active !== false;
      const wasActive = isProvisioned(row.status);
      if (active !== wasActive) {
        setMemberStatus(this.db, row.member_id, this.statusWhenActive(row.member_id, active));
        audit(
          this.db,
          ws.id,
          SOURCE,
          active ? 'member.reactivated' : 'member.deactivated',
          row.email,
          { userName },
          now,
        );
      }
    }
    const stored = storedAttributes(res);
    const changed = [...new Set([...Object.keys(before), ...Object.keys(res)])].filter(
      (k) => k !== 'active' && k !== URN.workatoRole && JSON.stringify(before[k]) !== JSON.stringify(res[k]),
    );
    if (
      changed.length ||
      changedRoles.length ||
      (res.active !== undefined && (res.active !== false) !== isProvisioned(row.status))
    ) {
      this.q.update.run({
        memberId: row.member_id,
        userName,
        externalId: externalIdOf(res),
        attributes: stored,
        email,
        now: now.toISOString(),
      });
    }
    if (changed.length) {
      const name = nameOf(res);
      if (name && name !== row.name) this.q.setName.run(name, row.user_id);
      audit(this.db, ws.id, SOURCE, 'member.updated', row.email, { fields: changed }, now);
    }
    return this.db.prepare(`${SELECT} WHERE s.member_id = ?`).get(row.member_id) as UserRow;
  }

  /** DELETE: the member loses access at their next request; roles and assets stay for a later return. */
  delete(ws: Workspace, row: UserRow, now: Date): void {
    setMemberStatus(this.db, row.member_id, DELETED);
    // The groups that listed the user lose it as a member: a new version of each (RFC 7644 §3.14).
    this.q.touchGroupsOf.run(now.toISOString(), row.member_id);
    this.q.remove.run(row.member_id);
    audit(this.db, ws.id, SOURCE, 'member.deleted', row.email, { userName: row.user_name }, now);
  }

  /**
   * Refuses `email` when another resource names it, or when it is the address of another
   * member that has a SCIM identity: that member signs in with it (RFC 7643 §2.1 uniqueness).
   */
  private requireFreeAddress(ws: Workspace, email: string, own: number | undefined): void {
    for (const other of this.q.byEmail.all(ws.id, email) as UserRow[])
      if (other.member_id !== own) throw taken('emails', email, other);
    const member = this.q.memberWithIdentityByEmail.get(ws.id, email) as UserRow | undefined;
    if (member && member.member_id !== own) throw taken('emails', email, member);
  }

  /** The roles the WorkatoRole extension names, per environment; unknown roles are refused. */
  private rolesFrom(ws: Workspace, res: JsonObject): Record<string, string> {
    const ext = res[URN.workatoRole];
    if (!isObject(ext)) return {};
    const custom = (this.q.customRoles.all(ws.id) as { name: string }[]).map((r) => r.name);
    const known = new Set<string>([...SYSTEM_ROLES, ...custom]);
    const out: Record<string, string> = {};
    for (const env of ws.environments) {
      const v = ext[roleAttributeFor(env, ws.environments)];
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string')
        throw new ScimError('ERR_SCIM_INVALID_VALUE', `${URN.workatoRole} roles are strings`);
      const role = roleFromIdp(v);
      if (!known.has(role))
        throw new ScimError(
          'ERR_SCIM_INVALID_VALUE',
          `no role ${role} for ${env} (role names are case-sensitive)`,
        );
      out[env] = role;
    }
    return out;
  }
}

function requireUserName(res: JsonObject): string {
  const u = res.userName;
  if (typeof u !== 'string' || u.trim() === '')
    throw new ScimError('ERR_SCIM_INVALID_VALUE', 'userName is required');
  return u.trim();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The address a resource names: its primary email, else its first, when that is an address. */
function addressOf(res: JsonObject): string | undefined {
  const emails = Array.isArray(res.emails) ? res.emails.filter(isObject) : [];
  const pick = emails.find((e) => e.primary === true) ?? emails[0];
  return typeof pick?.value === 'string' && EMAIL.test(pick.value) ? pick.value : undefined;
}

/** A new member without an email address is known by a userName that is one. */
function userNameAddress(userName: string): string {
  if (EMAIL.test(userName)) return userName;
  throw new ScimError(
    'ERR_SCIM_INVALID_VALUE',
    'an email address is required (emails or an address as userName)',
  );
}

/** 409 uniqueness naming the attribute and the resource that holds the value. */
function taken(attribute: 'userName' | 'emails', value: string, holder: UserRow): ScimError {
  return new ScimError(
    'ERR_SCIM_UNIQUENESS',
    `${attribute} ${JSON.stringify(value)} is held by User ${holder.scim_id}`,
    attribute,
  );
}

function nameOf(res: JsonObject): string | undefined {
  if (typeof res.displayName === 'string' && res.displayName.trim()) return res.displayName.trim();
  const n = res.name;
  if (isObject(n)) {
    if (typeof n.formatted === 'string' && n.formatted.trim()) return n.formatted.trim();
    const parts = [n.givenName, n.familyName].filter((x): x is string => typeof x === 'string' && x !== '');
    if (parts.length) return parts.join(' ');
  }
  return undefined;
}

const externalIdOf = (res: JsonObject): string | null =>
  typeof res.externalId === 'string' ? res.externalId : null;

/** What the attributes column keeps: everything but the columns, `active` and the role extension. */
function storedAttributes(res: JsonObject): string {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(res)) {
    if (k === 'userName' || k === 'externalId' || k === 'active' || k === URN.workatoRole) continue;
    out[k] = v;
  }
  return JSON.stringify(out);
}
