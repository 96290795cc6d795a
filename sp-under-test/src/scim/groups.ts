import type { Filter } from 'scim2-parse-filter';
import type { Db } from '../db/open.js';
import { audit } from '../store/audit.js';
import type { Workspace } from '../store/workspaces.js';
import { ScimError } from './errors.js';
import { equalityOn, matches } from './filter.js';
import { GROUP_KIND } from './schemas.js';
import { SOURCE } from './users.js';
import { isObject, type JsonObject } from './values.js';

/**
 * SCIM Groups (Okta group push, Entra group provisioning, OneLogin). Members refer to users by
 * their SCIM id; a group's `displayName` is unique in the workspace, ignoring case.
 */
export interface GroupRow {
  id: number;
  workspace_id: number;
  scim_id: string;
  display_name: string;
  external_id: string | null;
  version: number;
  created_at: string;
  last_modified: string;
}

export class GroupStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      byId: db.prepare('SELECT * FROM scim_groups WHERE workspace_id = ? AND scim_id = ?'),
      byName: db.prepare('SELECT * FROM scim_groups WHERE workspace_id = ? AND display_name = ?'),
      all: db.prepare('SELECT * FROM scim_groups WHERE workspace_id = ? ORDER BY id'),
      members: db.prepare(
        `SELECT s.scim_id AS value, COALESCE(gm.display, u.email) AS display FROM scim_group_members gm
         JOIN scim_users s ON s.member_id = gm.member_id JOIN members m ON m.id = s.member_id
         JOIN users u ON u.id = m.user_id WHERE gm.group_id = ? ORDER BY s.member_id`,
      ),
      userByScimId: db.prepare('SELECT member_id FROM scim_users WHERE workspace_id = ? AND scim_id = ?'),
      insert: db.prepare(
        `INSERT INTO scim_groups (workspace_id, scim_id, display_name, external_id, version, created_at, last_modified)
         VALUES (?, lower(hex(randomblob(16))), ?, ?, 1, ?, ?)`,
      ),
      update: db.prepare(
        'UPDATE scim_groups SET display_name = ?, external_id = ?, version = version + 1, last_modified = ? WHERE id = ?',
      ),
      clearMembers: db.prepare('DELETE FROM scim_group_members WHERE group_id = ?'),
      addMember: db.prepare(
        'INSERT OR IGNORE INTO scim_group_members (group_id, member_id, display) VALUES (?, ?, ?)',
      ),
      remove: db.prepare('DELETE FROM scim_groups WHERE id = ?'),
      byRowId: db.prepare('SELECT * FROM scim_groups WHERE id = ?'),
    };
  }

  find(ws: Workspace, id: string): GroupRow {
    const row = this.q.byId.get(ws.id, id) as GroupRow | undefined;
    if (!row) throw new ScimError('ERR_SCIM_NOT_FOUND', `Group ${id}`);
    return row;
  }

  membersOf(groupId: number): { value: string; display: string }[] {
    return this.q.members.all(groupId) as { value: string; display: string }[];
  }

  query(
    ws: Workspace,
    filter: Filter | undefined,
    startIndex: number,
    count: number,
    render: (r: GroupRow) => JsonObject,
  ): { total: number; rows: JsonObject[] } {
    const name = filter ? equalityOn(filter, 'displayName') : undefined;
    const candidates = (
      name !== undefined ? this.q.byName.all(ws.id, name) : this.q.all.all(ws.id)
    ) as GroupRow[];
    const hits = filter
      ? candidates.map(render).filter((r) => matches(GROUP_KIND, filter, r))
      : candidates.map(render);
    return { total: hits.length, rows: hits.slice(startIndex - 1, startIndex - 1 + count) };
  }

  /** The canonical resource PATCH starts from. */
  canonical(row: GroupRow): JsonObject {
    const out: JsonObject = { displayName: row.display_name };
    if (row.external_id !== null) out.externalId = row.external_id;
    const members = this.membersOf(row.id);
    if (members.length) out.members = members;
    return out;
  }

  create(ws: Workspace, res: JsonObject, now: Date): GroupRow {
    const displayName = requireDisplayName(res);
    const holder = this.q.byName.get(ws.id, displayName) as GroupRow | undefined;
    if (holder) throw taken(displayName, holder);
    const id = Number(
      this.q.insert.run(ws.id, displayName, externalIdOf(res), now.toISOString(), now.toISOString())
        .lastInsertRowid,
    );
    const members = this.setMembers(ws, id, res);
    audit(this.db, ws.id, SOURCE, 'group.created', displayName, { members: members.length }, now);
    return this.q.byRowId.get(id) as GroupRow;
  }

  replace(ws: Workspace, row: GroupRow, res: JsonObject, now: Date): GroupRow {
    const displayName = requireDisplayName(res);
    const other = this.q.byName.get(ws.id, displayName) as GroupRow | undefined;
    if (other && other.id !== row.id) throw taken(displayName, other);
    const before = this.membersOf(row.id).map((m) => m.value);
    this.q.update.run(displayName, externalIdOf(res), now.toISOString(), row.id);
    const after = this.setMembers(ws, row.id, res);
    audit(
      this.db,
      ws.id,
      SOURCE,
      'group.updated',
      displayName,
      {
        ...(displayName !== row.display_name ? { renamedFrom: row.display_name } : {}),
        added: after.filter((x) => !before.includes(x)).length,
        removed: before.filter((x) => !after.includes(x)).length,
      },
      now,
    );
    return this.q.byRowId.get(row.id) as GroupRow;
  }

  delete(ws: Workspace, row: GroupRow, now: Date): void {
    this.q.remove.run(row.id);
    audit(this.db, ws.id, SOURCE, 'group.deleted', row.display_name, {}, now);
  }

  private setMembers(ws: Workspace, groupId: number, res: JsonObject): string[] {
    this.q.clearMembers.run(groupId);
    const members = Array.isArray(res.members) ? res.members.filter(isObject) : [];
    const ids: string[] = [];
    for (const m of members) {
      if (typeof m.value !== 'string')
        throw new ScimError('ERR_SCIM_INVALID_VALUE', 'members[].value must be a user id');
      const user = this.q.userByScimId.get(ws.id, m.value) as { member_id: number } | undefined;
      if (!user) throw new ScimError('ERR_SCIM_INVALID_VALUE', `members: no user ${m.value}`);
      this.q.addMember.run(groupId, user.member_id, typeof m.display === 'string' ? m.display : null);
      ids.push(m.value);
    }
    return ids;
  }
}

function requireDisplayName(res: JsonObject): string {
  const d = res.displayName;
  if (typeof d !== 'string' || d.trim() === '')
    throw new ScimError('ERR_SCIM_INVALID_VALUE', 'displayName is required');
  return d.trim();
}

/** 409 uniqueness naming `displayName` and the group that holds it. */
const taken = (displayName: string, holder: GroupRow) =>
  new ScimError(
    'ERR_SCIM_UNIQUENESS',
    `displayName ${JSON.stringify(displayName)} is held by Group ${holder.scim_id}`,
    'displayName',
  );

const externalIdOf = (res: JsonObject): string | null =>
  typeof res.externalId === 'string' ? res.externalId : null;
