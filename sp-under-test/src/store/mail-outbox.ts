import type { Db } from '../db/open.js';

export type MailStatus = 'sending' | 'sent' | 'failed' | 'unsent';

export interface OutboxEntry {
  id: number;
  workspace: string | null;
  kind: string;
  to: string;
  subject: string;
  status: MailStatus;
  messageId: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

/**
 * The record of every message the SP tried to send; bodies (which carry secrets) are not kept.
 * A message is recorded as `sending` until `markMail` settles it, or `unsent` (with the reason)
 * at once when it cannot be sent at all.
 */
export function recordMail(
  db: Db,
  m: { workspaceId: number | null; kind: string; to: string; subject: string },
  now: Date,
  unsent?: { error: string },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO mail_outbox (workspace_id, kind, to_address, subject, status, error, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.workspaceId,
        m.kind,
        m.to,
        m.subject,
        unsent ? 'unsent' : 'sending',
        unsent?.error ?? null,
        now.toISOString(),
      ).lastInsertRowid,
  );
}

export function markMail(
  db: Db,
  id: number,
  status: MailStatus,
  detail: { messageId?: string; error?: string },
  now: Date,
): void {
  db.prepare('UPDATE mail_outbox SET status = ?, message_id = ?, error = ?, sent_at = ? WHERE id = ?').run(
    status,
    detail.messageId ?? null,
    detail.error ?? null,
    status === 'sent' ? now.toISOString() : null,
    id,
  );
}

export function listOutbox(db: Db, workspaceId?: number): OutboxEntry[] {
  return db
    .prepare(
      `SELECT o.id, w.slug AS workspace, o.kind, o.to_address AS "to", o.subject, o.status,
         o.message_id AS messageId, o.error, o.created_at AS createdAt, o.sent_at AS sentAt
       FROM mail_outbox o LEFT JOIN workspaces w ON w.id = o.workspace_id
       ${workspaceId === undefined ? '' : 'WHERE o.workspace_id = ?'} ORDER BY o.id`,
    )
    .all(...(workspaceId === undefined ? [] : [workspaceId])) as OutboxEntry[];
}
