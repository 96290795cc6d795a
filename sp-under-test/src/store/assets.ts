import type { Db } from '../db/open.js';

export type AssetKind = 'recipe' | 'connection';
export const ASSET_KINDS: readonly AssetKind[] = ['recipe', 'connection'];

export interface Asset {
  id: number;
  kind: AssetKind;
  name: string;
  folder: string | null;
  ownerEmail: string;
  /** Whether the owner is still an active member of the workspace. */
  ownerActive: boolean;
  createdAt: string;
}

/**
 * Recipes and connections belong to the workspace; the owner is recorded by email so an
 * asset stays available to the team when its owner is deprovisioned or deleted.
 */
export function createAsset(
  db: Db,
  workspaceId: number,
  a: { kind: AssetKind; name: string; folder: string | null; ownerUserId: number | null; ownerEmail: string },
  now: Date,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO assets (workspace_id, kind, name, folder, owner_user_id, owner_email, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(workspaceId, a.kind, a.name, a.folder, a.ownerUserId, a.ownerEmail, now.toISOString())
      .lastInsertRowid,
  );
}

export function listAssets(db: Db, workspaceId: number): Asset[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.kind, a.name, a.folder, a.owner_email AS ownerEmail, a.created_at AS createdAt,
         EXISTS (SELECT 1 FROM members m WHERE m.workspace_id = a.workspace_id AND m.user_id = a.owner_user_id
                 AND m.status = 'active') AS ownerActive
       FROM assets a WHERE a.workspace_id = ? ORDER BY a.id`,
    )
    .all(workspaceId) as (Omit<Asset, 'ownerActive'> & { ownerActive: number })[];
  return rows.map((r) => ({ ...r, ownerActive: r.ownerActive === 1 }));
}
