import type { Migration } from '../migrations.js';

/**
 * SCIM 2.0: bearer tokens (hashed), the SCIM identity of every member, and groups. A trigger gives each new member a SCIM identity, so
 * members created by SAML JIT are found by `userName eq` and matched, never duplicated.
 */
export const scim: Migration = {
  version: 2,
  name: 'scim tokens, scim users and groups',
  sql: `
      CREATE TABLE scim_tokens (
        id TEXT PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE scim_users (
        member_id INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        scim_id TEXT NOT NULL UNIQUE,
        user_name TEXT NOT NULL COLLATE NOCASE,
        external_id TEXT,
        attributes TEXT NOT NULL DEFAULT '{}',
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        last_modified TEXT NOT NULL
      );
      CREATE UNIQUE INDEX scim_users_by_user_name ON scim_users(workspace_id, user_name);
      CREATE INDEX scim_users_by_external_id ON scim_users(workspace_id, external_id);
      INSERT INTO scim_users (member_id, workspace_id, scim_id, user_name, created_at, last_modified)
        SELECT m.id, m.workspace_id, lower(hex(randomblob(16))), u.email, m.created_at, m.created_at
        FROM members m JOIN users u ON u.id = m.user_id;
      CREATE TRIGGER members_get_scim_identity AFTER INSERT ON members
      BEGIN
        INSERT OR IGNORE INTO scim_users (member_id, workspace_id, scim_id, user_name, created_at, last_modified)
          SELECT NEW.id, NEW.workspace_id, lower(hex(randomblob(16))), u.email, NEW.created_at, NEW.created_at
          FROM users u WHERE u.id = NEW.user_id;
      END;
      CREATE TABLE scim_groups (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        scim_id TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL COLLATE NOCASE,
        external_id TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        last_modified TEXT NOT NULL
      );
      CREATE UNIQUE INDEX scim_groups_by_display_name ON scim_groups(workspace_id, display_name);
      CREATE TABLE scim_group_members (
        group_id INTEGER NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES scim_users(member_id) ON DELETE CASCADE,
        display TEXT,
        PRIMARY KEY (group_id, member_id)
      );
      CREATE INDEX scim_group_members_by_member ON scim_group_members(member_id);
    `,
};
