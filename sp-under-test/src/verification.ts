import type { Db } from './db/open.js';
import { addJitMember } from './jit.js';
import type { MailResult, Mailer } from './mail/mailer.js';
import { audit } from './store/audit.js';
import { INVITED, markInvitationAccepted } from './store/invitations.js';
import { findMemberByUserId, type Member } from './store/members.js';
import {
  codeMatches,
  consumeVerification,
  createVerification,
  recordFailedCode,
  supersedeVerifications,
  type Verification,
} from './store/verifications.js';
import { findWorkspaceById, type Workspace } from './store/workspaces.js';
import { esc } from './http/html.js';

/** Why a verification link or code was not accepted. Codes are stable. */
export const VERIFICATION_ERROR_CODES = {
  ERR_VERIFICATION_INVALID: 'this verification link or code is not valid',
  ERR_VERIFICATION_USED: 'this verification link was already used',
  ERR_VERIFICATION_EXPIRED: 'this verification link has expired; sign in again to get a new one',
  ERR_VERIFICATION_CODE: 'the code is wrong',
  ERR_VERIFICATION_ATTEMPTS: 'too many wrong codes; sign in again to get a new one',
  ERR_MAIL_FAILED: 'the verification email could not be sent',
} as const;
export type VerificationErrorCode = keyof typeof VERIFICATION_ERROR_CODES;

export class VerificationRefused extends Error {
  readonly code: VerificationErrorCode;
  constructor(code: VerificationErrorCode, detail?: string) {
    super(detail ? `${VERIFICATION_ERROR_CODES[code]}: ${detail}` : VERIFICATION_ERROR_CODES[code]);
    this.name = 'VerificationRefused';
    this.code = code;
  }
}

export interface PendingJoin {
  userId: number;
  email: string;
  roles: Record<string, string>;
  groups: string[];
}

/**
 * Seed 000 "JIT provisioning for users with access to multiple workspaces", steps 6–7: an
 * account that exists asks to join a workspace it never used; the SP mails a single-use,
 * expiring link and code to the account's address. Returns the browser secret the page
 * sets as a cookie, so a code is only accepted from the browser that signed in.
 */
export async function startVerification(
  deps: { db: Db; mailer: Mailer; baseUrl: string; lifetimeMs: number },
  workspace: Workspace,
  pending: PendingJoin,
  relayState: string | null,
  now: Date,
): Promise<{ browser: string; mail: MailResult; expiresAt: Date }> {
  const v = deps.db.transaction(() => {
    supersedeVerifications(deps.db, pending.userId, workspace.id, now);
    return createVerification(
      deps.db,
      {
        userId: pending.userId,
        workspaceId: workspace.id,
        roles: pending.roles,
        groups: pending.groups,
        relayState,
      },
      now,
      deps.lifetimeMs,
    );
  })();
  const link = `${deps.baseUrl}/w/${encodeURIComponent(workspace.slug)}/verify/${v.token}`;
  const minutes = Math.round(deps.lifetimeMs / 60_000);
  const mail = await deps.mailer.send({
    workspaceId: workspace.id,
    workspace: workspace.slug,
    kind: 'workspace-verification',
    to: pending.email,
    subject: `Verify your email to join ${workspace.name}`,
    text:
      `Someone signed in as ${pending.email} and asked to join the workspace ${workspace.name}.\n\n` +
      `Open this link to verify it is you and join:\n${link}\n\n` +
      `Or enter this code on the verification page: ${v.code}\n\n` +
      `The link and the code work once and expire in ${minutes} minutes. If this was not you, ignore this message.\n`,
    html:
      `<p>Someone signed in as <b>${esc(pending.email)}</b> and asked to join the workspace <b>${esc(workspace.name)}</b>.</p>` +
      `<p><a href="${esc(link)}" data-verification-link>Verify my email and join ${esc(workspace.name)}</a></p>` +
      `<p>Or enter this code on the verification page: <b data-verification-code>${v.code}</b></p>` +
      `<p>The link and the code work once and expire in ${minutes} minutes. If this was not you, ignore this message.</p>`,
  });
  audit(
    deps.db,
    workspace.id,
    'jit',
    'verification.sent',
    pending.email,
    { mail: mail.status, ...(mail.error ? { error: mail.error } : {}) },
    now,
  );
  return { browser: v.browser, mail, expiresAt: new Date(now.getTime() + deps.lifetimeMs) };
}

function usable(v: Verification | undefined, workspace: Workspace, now: Date): Verification {
  if (!v || v.workspaceId !== workspace.id) throw new VerificationRefused('ERR_VERIFICATION_INVALID');
  if (v.usedAt) throw new VerificationRefused('ERR_VERIFICATION_USED');
  if (Date.parse(v.expiresAt) <= now.getTime()) throw new VerificationRefused('ERR_VERIFICATION_EXPIRED');
  return v;
}

/** Seed 000 step 7: "After the user verifies their identity, they can join the HR workspace." */
function join(db: Db, v: Verification, now: Date): Member {
  return db.transaction((): Member => {
    if (!consumeVerification(db, v.id, now)) throw new VerificationRefused('ERR_VERIFICATION_USED');
    const workspace = findWorkspaceById(db, v.workspaceId);
    if (!workspace) throw new VerificationRefused('ERR_VERIFICATION_INVALID');
    const already = findMemberByUserId(db, v.workspaceId, v.userId);
    if (already) {
      // Seeds 002–004 TROUBLESHOOTING: an invited person who already had an account joins
      // through this verification; the roles are the ones the IdP provisioned.
      if (already.status === 'active') return already;
      // Deprovisioned while the verification was pending: the link does not bring them back.
      if (already.status !== INVITED) throw new VerificationRefused('ERR_VERIFICATION_INVALID');
      markInvitationAccepted(db, already.memberId, now);
      audit(
        db,
        workspace.id,
        'invitation',
        'invitation.accepted',
        already.email,
        { how: 'email-verified' },
        now,
      );
      return findMemberByUserId(db, v.workspaceId, v.userId)!;
    }
    const email = (
      db.prepare('SELECT email FROM users WHERE id = ?').get(v.userId) as { email: string } | undefined
    )?.email;
    if (!email) throw new VerificationRefused('ERR_VERIFICATION_INVALID');
    return addJitMember(db, workspace, v.userId, email, v.roles, v.groups, now, 'email-verified');
  })();
}

/** Redeems the emailed link. */
export function redeemLink(
  db: Db,
  workspace: Workspace,
  v: Verification | undefined,
  now: Date,
): { member: Member; verification: Verification } {
  const ok = usable(v, workspace, now);
  return { member: join(db, ok, now), verification: ok };
}

/** Redeems the emailed code, typed into the page of the browser that signed in. */
export function redeemCode(
  db: Db,
  workspace: Workspace,
  v: Verification | undefined,
  code: string,
  maxAttempts: number,
  now: Date,
): { member: Member; verification: Verification } {
  const ok = usable(v, workspace, now);
  if (ok.failedAttempts >= maxAttempts) throw new VerificationRefused('ERR_VERIFICATION_ATTEMPTS');
  if (!codeMatches(db, ok.id, code)) {
    const failed = recordFailedCode(db, ok.id);
    if (failed >= maxAttempts) {
      consumeVerification(db, ok.id, now);
      throw new VerificationRefused('ERR_VERIFICATION_ATTEMPTS');
    }
    throw new VerificationRefused('ERR_VERIFICATION_CODE');
  }
  return { member: join(db, ok, now), verification: ok };
}
