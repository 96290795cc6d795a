import type { Db } from '../db/open.js';

/** Outstanding AuthnRequests (for InResponseTo) and consumed assertion IDs (for replay). */
export function recordAuthnRequest(
  db: Db,
  id: string,
  workspaceId: number,
  relayState: string | null,
  now: Date,
): void {
  db.prepare(
    'INSERT INTO authn_requests (id, workspace_id, relay_state, created_at) VALUES (?, ?, ?, ?)',
  ).run(id, workspaceId, relayState, now.toISOString());
}

export function findAuthnRequest(
  db: Db,
  id: string,
  workspaceId: number,
): { createdAt: string; consumedAt: string | null } | undefined {
  return db
    .prepare(
      'SELECT created_at AS createdAt, consumed_at AS consumedAt FROM authn_requests WHERE id = ? AND workspace_id = ?',
    )
    .get(id, workspaceId) as { createdAt: string; consumedAt: string | null } | undefined;
}

export function consumeAuthnRequest(db: Db, id: string, now: Date): void {
  db.prepare('UPDATE authn_requests SET consumed_at = ? WHERE id = ?').run(now.toISOString(), id);
}

/** Records an assertion ID; returns false when it was seen before (a replay). */
export function consumeAssertion(
  db: Db,
  assertionId: string,
  workspaceId: number,
  expiresAt: Date,
  now: Date,
): boolean {
  db.prepare('DELETE FROM consumed_assertions WHERE expires_at < ?').run(now.toISOString());
  const info = db
    .prepare(
      'INSERT OR IGNORE INTO consumed_assertions (assertion_id, workspace_id, expires_at) VALUES (?, ?, ?)',
    )
    .run(assertionId, workspaceId, expiresAt.toISOString());
  return info.changes === 1;
}
