import type { Db } from '../db/open.js';

export type AuditSource = 'jit' | 'scim_auto_sync' | 'admin' | 'saml' | 'password' | 'invitation';

export interface AuditEvent {
  id: number;
  at: string;
  source: AuditSource;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

export function audit(
  db: Db,
  workspaceId: number | null,
  source: AuditSource,
  action: string,
  subject: string | null,
  details: Record<string, unknown>,
  now: Date,
): void {
  db.prepare(
    'INSERT INTO audit_events (workspace_id, at, source, action, subject, details) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(workspaceId, now.toISOString(), source, action, subject, JSON.stringify(details));
}

export function listAudit(db: Db, workspaceId: number): AuditEvent[] {
  const rows = db
    .prepare(
      'SELECT id, at, source, action, subject, details FROM audit_events WHERE workspace_id = ? ORDER BY id',
    )
    .all(workspaceId) as (Omit<AuditEvent, 'details'> & { details: string })[];
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}
