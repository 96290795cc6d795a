import type { Db } from '../db/open.js';

export interface Organisation {
  id: number;
  slug: string;
  name: string;
}

/** Finds an organisation by slug, creating it on first use. */
export function ensureOrganisation(db: Db, slug: string, name: string, now: Date): Organisation {
  db.prepare('INSERT OR IGNORE INTO organisations (slug, name, created_at) VALUES (?, ?, ?)').run(
    slug,
    name,
    now.toISOString(),
  );
  return db.prepare('SELECT id, slug, name FROM organisations WHERE slug = ?').get(slug) as Organisation;
}

export function setWorkspaceOrganisation(db: Db, workspaceId: number, organisationId: number): void {
  db.prepare('UPDATE workspaces SET organisation_id = ? WHERE id = ?').run(organisationId, workspaceId);
}

export function organisationOfWorkspace(db: Db, workspaceId: number): Organisation | undefined {
  return db
    .prepare(
      `SELECT o.id, o.slug, o.name FROM organisations o JOIN workspaces w ON w.organisation_id = o.id
       WHERE w.id = ?`,
    )
    .get(workspaceId) as Organisation | undefined;
}

export function listOrganisations(db: Db): (Organisation & { workspaces: string[] })[] {
  const orgs = db.prepare('SELECT id, slug, name FROM organisations ORDER BY id').all() as Organisation[];
  const ws = db.prepare('SELECT slug FROM workspaces WHERE organisation_id = ? ORDER BY id');
  return orgs.map((o) => ({ ...o, workspaces: (ws.all(o.id) as { slug: string }[]).map((r) => r.slug) }));
}
