import type { Migration } from '../migrations.js';

/**
 * The domain around workspaces: organisations, per-environment authentication, SSO
 * enforcement, passwords, groups synced from SAML, assets owned by users, email
 * verification for joining another workspace, and the mail outbox.
 */
export const domain: Migration = {
  version: 3,
  name: 'organisations, environment authentication, groups, assets, email verification, mail outbox',
  sql: `
      CREATE TABLE organisations (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      ALTER TABLE workspaces ADD COLUMN organisation_id INTEGER REFERENCES organisations(id);
      ALTER TABLE users ADD COLUMN password_hash TEXT;
      ALTER TABLE saml_settings ADD COLUMN enforce_saml_for TEXT NOT NULL DEFAULT 'selected';
      ALTER TABLE saml_settings ADD COLUMN group_sync INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'saml';
      CREATE TABLE environment_auth (
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        environment TEXT NOT NULL,
        methods TEXT NOT NULL,
        PRIMARY KEY (workspace_id, environment)
      );
      CREATE TABLE workspace_groups (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (workspace_id, name)
      );
      CREATE TABLE workspace_group_members (
        group_id INTEGER NOT NULL REFERENCES workspace_groups(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        PRIMARY KEY (group_id, member_id)
      );
      CREATE TABLE IF NOT EXISTS assets (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        folder TEXT,
        owner_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        owner_email TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE email_verifications (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        code_hash TEXT NOT NULL,
        browser_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        roles TEXT NOT NULL,
        groups TEXT NOT NULL DEFAULT '[]',
        relay_state TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        failed_attempts INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE mail_outbox (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER REFERENCES workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        to_address TEXT NOT NULL,
        subject TEXT NOT NULL,
        status TEXT NOT NULL,
        message_id TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
      );
    `,
};
