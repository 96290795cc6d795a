import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';

/**
 * SCIM bearer tokens. A token is shown once when created; only its SHA-256 is stored, and a
 * presented token is compared with the stored hash in constant time. Revoking a token is how
 * a workspace disables SCIM.
 */
const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export interface ScimTokenInfo {
  id: string;
  createdAt: string;
  revokedAt: string | null;
}

export function createScimToken(db: Db, workspaceId: number, now: Date): { id: string; token: string } {
  const id = randomUUID();
  const token = `scim_${randomBytes(32).toString('base64url')}`;
  db.prepare('INSERT INTO scim_tokens (id, workspace_id, token_hash, created_at) VALUES (?, ?, ?, ?)').run(
    id,
    workspaceId,
    hash(token),
    now.toISOString(),
  );
  return { id, token };
}

/** Revokes a token of the workspace; false when there is no such live token. */
export function revokeScimToken(db: Db, workspaceId: number, id: string, now: Date): boolean {
  const revoked =
    db
      .prepare(
        'UPDATE scim_tokens SET revoked_at = ? WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL',
      )
      .run(now.toISOString(), id, workspaceId).changes === 1;
  // The revoked token must fail from its very next request: forget every live token found so far.
  if (revoked) liveTokens.get(db)?.clear();
  return revoked;
}

export function listScimTokens(db: Db, workspaceId: number): ScimTokenInfo[] {
  return db
    .prepare(
      'SELECT id, created_at AS createdAt, revoked_at AS revokedAt FROM scim_tokens WHERE workspace_id = ? ORDER BY created_at',
    )
    .all(workspaceId) as ScimTokenInfo[];
}

const lookups = new WeakMap<Db, Statement>();

type TokenWorkspace = { id: number; slug: string; name: string; environments: string[] };

/**
 * Live tokens already found, by the hex of their hash: a SCIM push presents the same token on
 * every request. Only revocation ends a token (workspaces are never renamed, re-environmented
 * or deleted), and it clears this; unknown tokens are never remembered.
 */
const liveTokens = new WeakMap<Db, Map<string, TokenWorkspace>>();
const LIVE_TOKENS_KEPT = 1000;

/** The workspace a live token belongs to (id, slug, name, environments), or undefined. */
export function workspaceForToken(db: Db, token: string): TokenWorkspace | undefined {
  const given = hash(token);
  let live = liveTokens.get(db);
  if (!live) {
    live = new Map();
    liveTokens.set(db, live);
  }
  const key = given.toString('hex');
  const known = live.get(key);
  if (known) return { ...known, environments: [...known.environments] };
  const found = lookUpToken(db, given);
  if (found) {
    if (live.size >= LIVE_TOKENS_KEPT) live.clear();
    live.set(key, { ...found, environments: [...found.environments] });
  }
  return found;
}

function lookUpToken(db: Db, given: Buffer): TokenWorkspace | undefined {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = db.prepare(
      `SELECT t.token_hash, w.id, w.slug, w.name, w.environments FROM scim_tokens t
       JOIN workspaces w ON w.id = t.workspace_id WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
    );
    lookups.set(db, lookup);
  }
  const row = lookup.get(given) as
    { token_hash: Buffer; id: number; slug: string; name: string; environments: string } | undefined;
  if (!row || row.token_hash.length !== given.length || !timingSafeEqual(row.token_hash, given))
    return undefined;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    environments: JSON.parse(row.environments) as string[],
  };
}
