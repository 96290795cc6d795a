import type { Db } from '../db/open.js';

export interface Member {
  memberId: number;
  userId: number;
  email: string;
  name: string;
  status: string;
  authMethod: string;
  source: string;
  roles: Record<string, string>;
  createdAt: string;
}

interface MemberRow {
  member_id: number;
  user_id: number;
  email: string;
  name: string;
  status: string;
  auth_method: string;
  source: string;
  created_at: string;
}

const MEMBER_SELECT = `SELECT m.id AS member_id, u.id AS user_id, u.email, u.name, m.status, m.auth_method, m.source,
  m.created_at FROM members m JOIN users u ON u.id = m.user_id`;

function withRoles(db: Db, rows: MemberRow[]): Member[] {
  const rolesOf = db.prepare('SELECT environment, role FROM member_roles WHERE member_id = ?');
  return rows.map((r) => ({
    memberId: r.member_id,
    userId: r.user_id,
    email: r.email,
    name: r.name,
    status: r.status,
    authMethod: r.auth_method,
    source: r.source,
    createdAt: r.created_at,
    roles: Object.fromEntries(
      (rolesOf.all(r.member_id) as { environment: string; role: string }[]).map((x) => [
        x.environment,
        x.role,
      ]),
    ),
  }));
}

export function listMembers(db: Db, workspaceId: number): Member[] {
  return withRoles(
    db,
    db.prepare(`${MEMBER_SELECT} WHERE m.workspace_id = ? ORDER BY m.id`).all(workspaceId) as MemberRow[],
  );
}

export function findMemberByEmail(db: Db, workspaceId: number, email: string): Member | undefined {
  return withRoles(
    db,
    db
      .prepare(`${MEMBER_SELECT} WHERE m.workspace_id = ? AND u.email = ?`)
      .all(workspaceId, email) as MemberRow[],
  )[0];
}

export function findMemberByUserId(db: Db, workspaceId: number, userId: number): Member | undefined {
  return withRoles(
    db,
    db
      .prepare(`${MEMBER_SELECT} WHERE m.workspace_id = ? AND u.id = ?`)
      .all(workspaceId, userId) as MemberRow[],
  )[0];
}

export function findUserByEmail(
  db: Db,
  email: string,
): { id: number; email: string; name: string } | undefined {
  return db.prepare('SELECT id, email, name FROM users WHERE email = ?').get(email) as
    { id: number; email: string; name: string } | undefined;
}

export function createUser(db: Db, email: string, name: string, now: Date): number {
  return Number(
    db
      .prepare('INSERT INTO users (email, name, created_at) VALUES (?, ?, ?)')
      .run(email, name, now.toISOString()).lastInsertRowid,
  );
}

export function addMember(
  db: Db,
  workspaceId: number,
  userId: number,
  roles: Record<string, string>,
  source: string,
  now: Date,
  authMethod: 'saml' | 'password' = 'saml',
): number {
  const memberId = Number(
    db
      .prepare(
        'INSERT INTO members (workspace_id, user_id, status, auth_method, source, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(workspaceId, userId, 'active', authMethod, source, now.toISOString()).lastInsertRowid,
  );
  const put = db.prepare('INSERT INTO member_roles (member_id, environment, role) VALUES (?, ?, ?)');
  for (const [env, role] of Object.entries(roles)) put.run(memberId, env, role);
  return memberId;
}

/** Replaces a member's role per environment. */
export function setMemberRoles(db: Db, memberId: number, roles: Record<string, string>): void {
  db.prepare('DELETE FROM member_roles WHERE member_id = ?').run(memberId);
  const put = db.prepare('INSERT INTO member_roles (member_id, environment, role) VALUES (?, ?, ?)');
  for (const [env, role] of Object.entries(roles)) put.run(memberId, env, role);
}

export function setMemberStatus(db: Db, memberId: number, status: string): void {
  db.prepare('UPDATE members SET status = ? WHERE id = ?').run(status, memberId);
}

export function setMemberAuthMethod(db: Db, memberId: number, authMethod: 'saml' | 'password'): void {
  db.prepare('UPDATE members SET auth_method = ? WHERE id = ?').run(authMethod, memberId);
}

export function setUserPasswordHash(db: Db, userId: number, hash: string | null): void {
  db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
}

export function userPasswordHash(db: Db, userId: number): string | null {
  const row = db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as
    { password_hash: string | null } | undefined;
  return row?.password_hash ?? null;
}

/** The workspaces a user is an active member of, for the workspace switcher. */
export function activeWorkspacesOfUser(
  db: Db,
  userId: number,
): { workspaceId: number; slug: string; name: string }[] {
  return db
    .prepare(
      `SELECT w.id AS workspaceId, w.slug, w.name FROM members m JOIN workspaces w ON w.id = m.workspace_id
       WHERE m.user_id = ? AND m.status = 'active' ORDER BY w.name, w.slug`,
    )
    .all(userId) as { workspaceId: number; slug: string; name: string }[];
}
