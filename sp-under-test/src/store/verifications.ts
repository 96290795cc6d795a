import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../db/open.js';

export interface Verification {
  id: number;
  userId: number;
  workspaceId: number;
  roles: Record<string, string>;
  groups: string[];
  relayState: string | null;
  expiresAt: string;
  usedAt: string | null;
  failedAttempts: number;
}

interface Row {
  id: number;
  user_id: number;
  workspace_id: number;
  roles: string;
  groups: string;
  relay_state: string | null;
  expires_at: string;
  used_at: string | null;
  failed_attempts: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const toVerification = (r: Row): Verification => ({
  id: r.id,
  userId: r.user_id,
  workspaceId: r.workspace_id,
  roles: JSON.parse(r.roles) as Record<string, string>,
  groups: JSON.parse(r.groups) as string[],
  relayState: r.relay_state,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  failedAttempts: r.failed_attempts,
});

/**
 * Starts an email verification for joining a workspace. Returns the link token and the
 * six-digit code to mail; only their hashes are stored. The code is bound to the
 * verification's id (the browser that started it), so it cannot be tried against others.
 */
export function createVerification(
  db: Db,
  v: {
    userId: number;
    workspaceId: number;
    roles: Record<string, string>;
    groups: string[];
    relayState: string | null;
  },
  now: Date,
  lifetimeMs: number,
): { id: number; token: string; code: string; browser: string } {
  const token = randomBytes(32).toString('base64url');
  const browser = randomBytes(32).toString('base64url');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = Number(
    db
      .prepare(
        `INSERT INTO email_verifications (token_hash, code_hash, browser_hash, user_id, workspace_id, roles, groups, relay_state,
           created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        sha256(token),
        sha256(code),
        sha256(browser),
        v.userId,
        v.workspaceId,
        JSON.stringify(v.roles),
        JSON.stringify(v.groups),
        v.relayState,
        now.toISOString(),
        new Date(now.getTime() + lifetimeMs).toISOString(),
      ).lastInsertRowid,
  );
  return { id, token, code, browser };
}

export function findVerificationByToken(db: Db, token: string): Verification | undefined {
  const r = db.prepare('SELECT * FROM email_verifications WHERE token_hash = ?').get(sha256(token)) as
    Row | undefined;
  return r && toVerification(r);
}

/** The verification started in this browser (its cookie holds the browser secret). */
export function findVerificationByBrowser(db: Db, browser: string): Verification | undefined {
  const r = db.prepare('SELECT * FROM email_verifications WHERE browser_hash = ?').get(sha256(browser)) as
    Row | undefined;
  return r && toVerification(r);
}

export function findVerificationById(db: Db, id: number): Verification | undefined {
  const r = db.prepare('SELECT * FROM email_verifications WHERE id = ?').get(id) as Row | undefined;
  return r && toVerification(r);
}

export function codeMatches(db: Db, id: number, code: string): boolean {
  const r = db.prepare('SELECT code_hash FROM email_verifications WHERE id = ?').get(id) as
    { code_hash: string } | undefined;
  return !!r && r.code_hash === sha256(code.trim());
}

export function recordFailedCode(db: Db, id: number): number {
  db.prepare('UPDATE email_verifications SET failed_attempts = failed_attempts + 1 WHERE id = ?').run(id);
  return (findVerificationById(db, id)?.failedAttempts ?? 0) as number;
}

/** Marks a verification used; false when it already was (the single-use guarantee, race-free). */
export function consumeVerification(db: Db, id: number, now: Date): boolean {
  return (
    db
      .prepare('UPDATE email_verifications SET used_at = ? WHERE id = ? AND used_at IS NULL')
      .run(now.toISOString(), id).changes === 1
  );
}

/** Any earlier, unused verifications of this user for this workspace stop working. */
export function supersedeVerifications(db: Db, userId: number, workspaceId: number, now: Date): void {
  db.prepare(
    'UPDATE email_verifications SET used_at = ? WHERE user_id = ? AND workspace_id = ? AND used_at IS NULL',
  ).run(now.toISOString(), userId, workspaceId);
}
