import type { Db } from '../db/open.js';

/** A member's groups in a workspace, by name (case-sensitive). */
export function groupsOfMember(db: Db, memberId: number): string[] {
  return (
    db
      .prepare(
        `SELECT g.name FROM workspace_group_members gm JOIN workspace_groups g ON g.id = gm.group_id
         WHERE gm.member_id = ? ORDER BY g.name`,
      )
      .all(memberId) as { name: string }[]
  ).map((r) => r.name);
}

export function listGroups(db: Db, workspaceId: number): { name: string; members: number }[] {
  return db
    .prepare(
      `SELECT g.name, COUNT(gm.member_id) AS members FROM workspace_groups g
       LEFT JOIN workspace_group_members gm ON gm.group_id = g.id
       WHERE g.workspace_id = ? GROUP BY g.id ORDER BY g.name`,
    )
    .all(workspaceId) as { name: string; members: number }[];
}

/**
 * Makes `names` the member's exact set of groups, creating groups the workspace lacks.
 * Returns what changed so the caller can audit it.
 */
export function replaceMemberGroups(
  db: Db,
  workspaceId: number,
  memberId: number,
  names: readonly string[],
  source: string,
  now: Date,
): { added: string[]; removed: string[] } {
  const wanted = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
  const current = groupsOfMember(db, memberId);
  const added = wanted.filter((n) => !current.includes(n));
  const removed = current.filter((n) => !wanted.includes(n));
  const ensure = db.prepare(
    'INSERT OR IGNORE INTO workspace_groups (workspace_id, name, created_at) VALUES (?, ?, ?)',
  );
  const idOf = db.prepare('SELECT id FROM workspace_groups WHERE workspace_id = ? AND name = ?');
  for (const name of added) {
    ensure.run(workspaceId, name, now.toISOString());
    const { id } = idOf.get(workspaceId, name) as { id: number };
    db.prepare('INSERT INTO workspace_group_members (group_id, member_id, source) VALUES (?, ?, ?)').run(
      id,
      memberId,
      source,
    );
  }
  for (const name of removed) {
    const { id } = idOf.get(workspaceId, name) as { id: number };
    db.prepare('DELETE FROM workspace_group_members WHERE group_id = ? AND member_id = ?').run(id, memberId);
  }
  return { added, removed };
}
