import { createHash } from 'node:crypto';
import type { Db } from '../../sp-under-test/src/db/open.js';
import type { Exchange, Flaw } from '../helpers/flawed-sp.js';

/** Deliberately wrong variants of the reference SP, one seed rule broken in each (see helpers/flawed-sp.ts). */

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const invitationToken = (ex: Exchange) => /^\/w\/[^/]+\/invitation\/([^/?#]+)/.exec(ex.path)?.[1];
const invitationOf = (db: Db, ex: Exchange) => {
  const token = invitationToken(ex);
  return token === undefined
    ? undefined
    : (db.prepare('SELECT id, member_id FROM invitations WHERE token_hash = ?').get(sha256(token)) as
        { id: number; member_id: number } | undefined);
};

/** Seeds 002–004: a member pushed over SCIM is active at once, with no invitation to accept. */
export const activeWithoutInvitation: Flaw = {
  breaks: 'makes SCIM-provisioned members active before they verify their email address',
  after(ex, db) {
    if (ex.method === 'POST' && ex.path.startsWith('/scim/v2/Users') && ex.status === 201)
      db.prepare(
        "UPDATE members SET status = 'active', invitation_pending = 0 WHERE status = 'invited'",
      ).run();
  },
};

/** The invitation link is not burnt once followed. */
export const reusableInvitationLink: Flaw = {
  breaks: 'accepts an invitation link again and again',
  before(ex, db) {
    const inv = ex.method === 'GET' ? invitationOf(db, ex) : undefined;
    if (!inv) return;
    db.prepare('UPDATE invitations SET used_at = NULL WHERE id = ?').run(inv.id);
    db.prepare("UPDATE members SET status = 'invited' WHERE id = ? AND status = 'active'").run(inv.member_id);
  },
};

/** The invitation link never expires. */
export const everlastingInvitationLink: Flaw = {
  breaks: 'accepts an invitation link after it expired',
  before(ex, db) {
    const inv = ex.method === 'GET' ? invitationOf(db, ex) : undefined;
    if (inv)
      db.prepare("UPDATE invitations SET expires_at = '9999-12-31T00:00:00.000Z' WHERE id = ?").run(inv.id);
  },
};

/** An existing account joins by the invitation link alone, without signing in and verifying. */
export const invitationLinkJoinsExistingAccount: Flaw = {
  breaks: 'lets an existing account join a workspace through the invitation link alone',
  before(ex, db) {
    const inv = ex.method === 'GET' ? invitationOf(db, ex) : undefined;
    if (inv) db.prepare('UPDATE invitations SET existing_account = 0 WHERE id = ?').run(inv.id);
  },
};
