import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/open.js';

export interface SessionRow {
  userId: number;
  workspaceId: number;
  email: string;
  createdAt: string;
  expiresAt: string;
  /** How the session was authenticated: `saml` or `password`. */
  authMethod: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a session and returns the bearer value for the cookie; only its hash is stored. */
export function createSession(
  db: Db,
  userId: number,
  workspaceId: number,
  sessionIndex: string | null,
  now: Date,
  lifetimeMs: number,
  authMethod: 'saml' | 'password' = 'saml',
): string {
  const token = randomBytes(32).toString('base64url');
  db.prepare(
    `INSERT INTO sessions (token_hash, user_id, workspace_id, saml_session_index, created_at, expires_at, auth_method)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    hashToken(token),
    userId,
    workspaceId,
    sessionIndex,
    now.toISOString(),
    new Date(now.getTime() + lifetimeMs).toISOString(),
    authMethod,
  );
  return token;
}

export function findSession(db: Db, token: string, now: Date): SessionRow | undefined {
  return db
    .prepare(
      `SELECT s.user_id AS userId, s.workspace_id AS workspaceId, u.email, s.created_at AS createdAt,
         s.expires_at AS expiresAt, s.auth_method AS authMethod
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ?`,
    )
    .get(hashToken(token), now.toISOString()) as SessionRow | undefined;
}

export function endSession(db: Db, token: string, now: Date): void {
  db.prepare('UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL').run(
    now.toISOString(),
    hashToken(token),
  );
}

/**
 * Sessions that would let their holder in now: not ended, not expired, and held by an active
 * member. A deprovisioned member's session is over even before its next request ends it.
 */
export function liveSessions(db: Db, workspaceId: number, now: Date): SessionRow[] {
  return db
    .prepare(
      `SELECT s.user_id AS userId, s.workspace_id AS workspaceId, u.email, s.created_at AS createdAt,
         s.expires_at AS expiresAt, s.auth_method AS authMethod
       FROM sessions s JOIN users u ON u.id = s.user_id
         JOIN members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id AND m.status = 'active'
       WHERE s.workspace_id = ? AND s.ended_at IS NULL AND s.expires_at > ? ORDER BY s.created_at`,
    )
    .all(workspaceId, now.toISOString()) as SessionRow[];
}
