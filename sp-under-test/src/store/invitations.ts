import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/open.js';

/** Status of a member provisioned over SCIM who has not verified their email address yet. */
export const INVITED = 'invited';

export interface Invitation {
  id: number;
  memberId: number;
  workspaceId: number;
  /** The person already had an account when invited: joining asks for the email verification of a further workspace. */
  existingAccount: boolean;
  expiresAt: string;
  usedAt: string | null;
}

interface Row {
  id: number;
  member_id: number;
  workspace_id: number;
  existing_account: number;
  expires_at: string;
  used_at: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const toInvitation = (r: Row): Invitation => ({
  id: r.id,
  memberId: r.member_id,
  workspaceId: r.workspace_id,
  existingAccount: r.existing_account === 1,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});

/**
 * A new invitation; earlier unused ones of the member stop working. Returns the link token (only
 * its hash is kept). `newMember`: the member was created pending in this same transaction, so
 * it has no earlier invitation and is already marked pending.
 */
export function createInvitation(
  db: Db,
  v: { memberId: number; workspaceId: number; existingAccount: boolean; newMember?: boolean },
  now: Date,
  lifetimeMs: number,
): { id: number; token: string; expiresAt: string } {
  if (!v.newMember) closeInvitations(db, v.memberId, now);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
  const id = Number(
    db
      .prepare(
        `INSERT INTO invitations (token_hash, member_id, workspace_id, existing_account, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(sha256(token), v.memberId, v.workspaceId, v.existingAccount ? 1 : 0, now.toISOString(), expiresAt)
      .lastInsertRowid,
  );
  if (!v.newMember) db.prepare('UPDATE members SET invitation_pending = 1 WHERE id = ?').run(v.memberId);
  return { id, token, expiresAt };
}

export function findInvitationByToken(db: Db, token: string): Invitation | undefined {
  const r = db.prepare('SELECT * FROM invitations WHERE token_hash = ?').get(sha256(token)) as
    Row | undefined;
  return r && toInvitation(r);
}

/** The member's newest invitation that is neither used nor superseded, if any (it may have expired). */
export function openInvitation(db: Db, memberId: number): Invitation | undefined {
  const r = db
    .prepare('SELECT * FROM invitations WHERE member_id = ? AND used_at IS NULL ORDER BY id DESC LIMIT 1')
    .get(memberId) as Row | undefined;
  return r && toInvitation(r);
}

/** Marks one invitation used; false when it already was (the single-use guarantee, race-free). */
export function consumeInvitation(db: Db, id: number, now: Date): boolean {
  return (
    db
      .prepare('UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL')
      .run(now.toISOString(), id).changes === 1
  );
}

/** Every unused invitation of the member stops working (accepted another way, or superseded). */
export function closeInvitations(db: Db, memberId: number, now: Date): void {
  db.prepare('UPDATE invitations SET used_at = ? WHERE member_id = ? AND used_at IS NULL').run(
    now.toISOString(),
    memberId,
  );
}

/** Whether the member was invited and has not accepted yet. */
export function invitationPending(db: Db, memberId: number): boolean {
  const r = db.prepare('SELECT invitation_pending FROM members WHERE id = ?').get(memberId) as
    { invitation_pending: number } | undefined;
  return r?.invitation_pending === 1;
}

/** The member accepted: active, and no longer pending. */
export function markInvitationAccepted(db: Db, memberId: number, now: Date): void {
  closeInvitations(db, memberId, now);
  db.prepare("UPDATE members SET status = 'active', invitation_pending = 0 WHERE id = ?").run(memberId);
}
