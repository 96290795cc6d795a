import type { Migration } from '../migrations.js';

/**
 * Seeds 002–004 "Workato sends an email invitation … click the link … to verify their email
 * address": a member provisioned over SCIM is `invited` until the person follows a
 * single-use, expiring link (only its hash is kept). `invitation_pending` remembers that the
 * member never accepted, so a member deprovisioned before accepting comes back `invited`.
 * Seed 001 "Permissions: Based on the environment's default end-user permissions": each
 * environment's default role (JSON, environment → role; NULL means Operator everywhere).
 */
export const invitations: Migration = {
  version: 7,
  name: 'invitations and per-environment default roles',
  sql: `
      CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        existing_account INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      );
      CREATE INDEX invitations_by_member ON invitations(member_id, used_at);
      ALTER TABLE members ADD COLUMN invitation_pending INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE workspaces ADD COLUMN default_roles TEXT;
  `,
};
