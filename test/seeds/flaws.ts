import { createHash } from 'node:crypto';
import type { Db } from '../../sp-under-test/src/db/open.js';
import type { Exchange, Flaw } from '../helpers/flawed-sp.js';

/** Deliberately wrong variants of the reference SP, one seed rule broken in each (see helpers/flawed-sp.ts). */

const samlResponseOf = (ex: Exchange): string | undefined => {
  const response = new URLSearchParams(ex.requestBody).get('SAMLResponse');
  return response ? Buffer.from(response, 'base64').toString('utf8') : undefined;
};
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

/**
 * Seed 000: roles are rights. Pages give members with role `from` the rights of role `to`,
 * while the SP still records and reports `from` (the role as a label only).
 */
export function pagesTreatRoleAs(from: string, to: string): Flaw {
  let swapped: { member_id: number; environment: string }[] = [];
  return {
    breaks: `gives ${from} the rights of ${to} on its pages`,
    before(ex, db) {
      if (!ex.path.startsWith('/w/')) return;
      swapped = db
        .prepare('SELECT member_id, environment FROM member_roles WHERE role = ?')
        .all(from) as typeof swapped;
      db.prepare('UPDATE member_roles SET role = ? WHERE role = ?').run(to, from);
    },
    after(_ex, db) {
      const put = db.prepare('UPDATE member_roles SET role = ? WHERE member_id = ? AND environment = ?');
      for (const r of swapped) put.run(from, r.member_id, r.environment);
      swapped = [];
    },
  };
}

/** Seed 002 "In contrast to SAML, role updates through SCIM occur immediately": here they wait for the next sign-in. */
export function roleChangesWaitForSignIn(): Flaw {
  const rolesOf = (db: Db) =>
    new Map(
      (
        db.prepare('SELECT member_id, environment, role FROM member_roles').all() as {
          member_id: number;
          environment: string;
          role: string;
        }[]
      ).map((r) => [`${r.member_id}|${r.environment}`, r.role]),
    );
  let before = new Map<string, string>();
  const pending = new Map<string, string>();
  const put = (db: Db, key: string, role: string) => {
    const [member, environment] = key.split('|');
    db.prepare('UPDATE member_roles SET role = ? WHERE member_id = ? AND environment = ?').run(
      role,
      Number(member),
      environment,
    );
  };
  const scimWrite = (ex: Exchange) =>
    (ex.method === 'PUT' || ex.method === 'PATCH') && ex.path.startsWith('/scim/v2/Users/');
  return {
    breaks: 'applies SCIM role changes only at the next sign-in',
    before(ex, db) {
      if (scimWrite(ex)) before = rolesOf(db);
      if (ex.method === 'POST' && /^\/saml\/[^/]+\/acs/.test(ex.path)) {
        for (const [key, role] of pending) put(db, key, role);
        pending.clear();
      }
    },
    after(ex, db) {
      if (!scimWrite(ex)) return;
      for (const [key, role] of rolesOf(db)) {
        const was = before.get(key);
        if (was !== undefined && was !== role) {
          pending.set(key, role);
          put(db, key, was);
        }
      }
    },
  };
}

const reactivateDeprovisioned = (db: Db) =>
  db.prepare("UPDATE members SET status = 'active' WHERE status IN ('deactivated', 'deleted')").run();

/** Seeds 002–004 "the user cannot access the Workato workspace": JIT lets a deprovisioned member back in. */
export const jitReadmitsDeprovisioned: Flaw = {
  breaks: 'lets JIT sign a deprovisioned member back in',
  before(ex, db) {
    if (ex.method === 'POST' && /^\/saml\/[^/]+\/acs/.test(ex.path)) reactivateDeprovisioned(db);
  },
};

/** The same rule, broken at the password door. */
export const passwordReadmitsDeprovisioned: Flaw = {
  breaks: 'accepts the password of a deprovisioned member',
  before(ex, db) {
    if (ex.method === 'POST' && /^\/w\/[^/]+\/sign-in/.test(ex.path)) reactivateDeprovisioned(db);
  },
};

/** Seed 002 "would retain their earlier privileges": deprovisioning resets the member's roles to the default. */
export const wipesRolesOnDeprovisioning: Flaw = {
  breaks: 'resets the roles of a member it deprovisions',
  after(ex, db) {
    if (!['PUT', 'PATCH', 'DELETE'].includes(ex.method) || !ex.path.startsWith('/scim/v2/Users/')) return;
    db.prepare(
      "UPDATE member_roles SET role = 'Operator' WHERE member_id IN (SELECT id FROM members WHERE status IN ('deactivated', 'deleted'))",
    ).run();
  },
};

/** Seed 000 "User email: workato_email … default SAML NameID": here the NameID wins over workato_email. */
export const emailFromNameId: Flaw = {
  breaks: 'takes the email from the NameID and ignores workato_email',
  after(ex, db) {
    if (ex.method !== 'POST' || !/^\/saml\/[^/]+\/acs/.test(ex.path)) return;
    const xml = samlResponseOf(ex);
    if (!xml) return;
    const nameId = /<(?:\w+:)?NameID\b[^>]*>([^<]+)</.exec(xml)?.[1];
    const email = /Name="workato_email"[^>]*>\s*<(?:\w+:)?AttributeValue\b[^>]*>([^<]+)</.exec(xml)?.[1];
    if (nameId && email && nameId !== email)
      db.prepare('UPDATE users SET email = ? WHERE email = ?').run(nameId, email);
  },
};

/** Seed 001 "the environment's default end-user permissions": one default for every environment. */
export const oneDefaultRole: Flaw = {
  breaks: 'gives new members one default role in every environment',
  before(_ex, db) {
    db.prepare('UPDATE workspaces SET default_roles = NULL').run();
  },
};

/** Seed 004 "sign in … with the role(s) you configured": the roles of a SCIM-created user are ignored. */
export const scimCreateIgnoresRoles: Flaw = {
  breaks: 'ignores the roles a SCIM create carries and gives the default',
  after(ex, db) {
    if (ex.method === 'POST' && ex.path.startsWith('/scim/v2/Users') && ex.status === 201)
      db.prepare(
        "UPDATE member_roles SET role = 'Operator' WHERE member_id = (SELECT max(id) FROM members)",
      ).run();
  },
};

/** The door rule broken for IdP-initiated sign-ins only: an unsolicited Response lets a deprovisioned member back in. */
export const idpInitiatedReadmitsDeprovisioned: Flaw = {
  breaks: 'lets an IdP-initiated sign-in bring a deprovisioned member back',
  before(ex, db) {
    if (ex.method !== 'POST' || !/^\/saml\/[^/]+\/acs/.test(ex.path)) return;
    const xml = samlResponseOf(ex);
    const response = xml && /<(?:\w+:)?Response\b[^>]*>/.exec(xml)?.[0];
    if (response && !/\bInResponseTo=/.test(response)) reactivateDeprovisioned(db);
  },
};

/** Seed 003 "The user's recipes and connections remain available to the rest of the team": a SCIM DELETE takes them along. */
export const deleteDropsAssets: Flaw = {
  breaks: 'deletes the recipes and connections of a member deleted over SCIM',
  after(ex, db) {
    if (ex.method !== 'DELETE' || !ex.path.startsWith('/scim/v2/Users/') || ex.status !== 204) return;
    db.prepare(
      `DELETE FROM assets WHERE lower(owner_email) IN (SELECT lower(u.email) FROM members m
         JOIN users u ON u.id = m.user_id WHERE m.status = 'deleted')`,
    ).run();
  },
};

/** Seeds 002–004 "cannot access the workspace", after a SCIM DELETE: the pages still serve her open session. */
export function deletedKeepsSession(): Flaw {
  let revived: number[] = [];
  return {
    breaks: 'keeps serving the open session of a member deleted over SCIM',
    before(ex, db) {
      if (!ex.path.startsWith('/w/')) return;
      revived = (db.prepare("SELECT id FROM members WHERE status = 'deleted'").all() as { id: number }[]).map(
        (r) => r.id,
      );
      for (const id of revived) db.prepare("UPDATE members SET status = 'active' WHERE id = ?").run(id);
    },
    after(_ex, db) {
      for (const id of revived) db.prepare("UPDATE members SET status = 'deleted' WHERE id = ?").run(id);
      revived = [];
    },
  };
}
