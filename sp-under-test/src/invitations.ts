import type { Db } from './db/open.js';
import { esc } from './http/html.js';
import type { Mailer } from './mail/mailer.js';
import { audit } from './store/audit.js';
import {
  consumeInvitation,
  createInvitation,
  INVITED,
  markInvitationAccepted,
  openInvitation,
  type Invitation,
} from './store/invitations.js';
import { findMemberByUserId, type Member } from './store/members.js';
import type { Workspace } from './store/workspaces.js';
import { VerificationRefused } from './verification.js';

/**
 * Seeds 002–004 "Provision users": "Workato sends an email invitation to the selected users.
 * Instruct users to click the link in the email to verify their email address … The
 * collaborator can then sign in to the assigned workspace with the role(s) you configured."
 *
 * A member provisioned over SCIM is `invited`: it holds the configured roles but cannot sign
 * in. The mailed link is single-use and expires; following it verifies the address, makes the
 * member `active` and records `invitation.accepted`. TROUBLESHOOTING: a person who already has
 * an account is sent to the sign-in page instead, and joins through the email verification a
 * further workspace asks for (seed 000 "users with access to multiple workspaces", steps 6–7).
 */
export interface InvitationDeps {
  db: Db;
  mailer: Mailer;
  baseUrl: string;
  lifetimeMs: number;
}

/** Creates the invitation and mails its link. The outbox records the mail at once; SMTP runs after. */
export function inviteMember(
  deps: InvitationDeps,
  ws: Workspace,
  /** `newMember`: created pending in the same transaction (see createInvitation). */
  member: { memberId: number; email: string; name: string; newMember?: boolean },
  existingAccount: boolean,
  now: Date,
): void {
  const inv = createInvitation(
    deps.db,
    { memberId: member.memberId, workspaceId: ws.id, existingAccount, newMember: member.newMember },
    now,
    deps.lifetimeMs,
  );
  const link = `${deps.baseUrl}/w/${encodeURIComponent(ws.slug)}/invitation/${inv.token}`;
  const days = Math.round(deps.lifetimeMs / 86_400_000);
  const validity =
    days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : `${Math.round(deps.lifetimeMs / 60_000)} minutes`;
  void deps.mailer
    .send({
      workspaceId: ws.id,
      workspace: ws.slug,
      kind: 'invitation',
      to: member.email,
      subject: `You are invited to join ${ws.name}`,
      text:
        `Hello ${member.name},\n\nYou have been invited to join the workspace ${ws.name}.\n` +
        `Open this link to verify your email address, then sign in:\n${link}\n\n` +
        `The link works once and expires in ${validity}.\n`,
      html:
        `<p>Hello ${esc(member.name)},</p><p>You have been invited to join the workspace ${esc(ws.name)}.</p>` +
        `<p><a href="${esc(link)}" data-invitation-link>Verify your email address and join ${esc(ws.name)}</a></p>` +
        `<p>The link works once and expires in ${esc(validity)}.</p>`,
    })
    .catch(() => undefined);
  audit(
    deps.db,
    ws.id,
    'scim_auto_sync',
    'member.invited',
    member.email,
    { expiresAt: inv.expiresAt, existingAccount },
    now,
  );
}

export type InvitationOutcome =
  | { kind: 'accepted'; member: Member }
  /** The address already has an account: sign in first, then verify as for a further workspace. */
  | { kind: 'sign-in-first' };

/** Follows an invitation link. */
export function acceptInvitation(
  db: Db,
  ws: Workspace,
  inv: Invitation | undefined,
  now: Date,
): InvitationOutcome {
  if (!inv || inv.workspaceId !== ws.id) throw new VerificationRefused('ERR_VERIFICATION_INVALID');
  if (inv.usedAt) throw new VerificationRefused('ERR_VERIFICATION_USED');
  if (Date.parse(inv.expiresAt) <= now.getTime()) throw new VerificationRefused('ERR_VERIFICATION_EXPIRED');
  if (inv.existingAccount) return { kind: 'sign-in-first' };
  return db.transaction((): InvitationOutcome => {
    if (!consumeInvitation(db, inv.id, now)) throw new VerificationRefused('ERR_VERIFICATION_USED');
    const row = db.prepare('SELECT user_id, status FROM members WHERE id = ?').get(inv.memberId) as
      { user_id: number; status: string } | undefined;
    if (!row) throw new VerificationRefused('ERR_VERIFICATION_INVALID');
    // A member deprovisioned before accepting stays out; the invitation is spent all the same.
    if (row.status !== INVITED) throw new VerificationRefused('ERR_VERIFICATION_INVALID');
    markInvitationAccepted(db, inv.memberId, now);
    const member = findMemberByUserId(db, ws.id, row.user_id)!;
    audit(db, ws.id, 'invitation', 'invitation.accepted', member.email, { how: 'invitation-link' }, now);
    return { kind: 'accepted', member };
  })();
}

/**
 * An expired link of a member who is still invited: a fresh invitation goes to the member's
 * address (only its owner can use it). Returns whether one was sent.
 */
export function renewInvitation(deps: InvitationDeps, ws: Workspace, inv: Invitation, now: Date): boolean {
  return deps.db.transaction((): boolean => {
    const newest = openInvitation(deps.db, inv.memberId);
    if (newest?.id !== inv.id) return false;
    const row = deps.db
      .prepare(
        'SELECT m.status, u.email, u.name FROM members m JOIN users u ON u.id = m.user_id WHERE m.id = ?',
      )
      .get(inv.memberId) as { status: string; email: string; name: string } | undefined;
    if (row?.status !== INVITED) return false;
    inviteMember(
      deps,
      ws,
      { memberId: inv.memberId, email: row.email, name: row.name },
      inv.existingAccount,
      now,
    );
    return true;
  })();
}
