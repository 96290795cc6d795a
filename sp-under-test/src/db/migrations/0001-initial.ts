import type { Migration } from '../migrations.js';

export const initial: Migration = {
  version: 1,
  name: 'workspaces, users, members, roles, sessions, audit',
  sql: `
      CREATE TABLE workspaces (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        environments TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE saml_settings (
        workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        idp_entity_id TEXT NOT NULL,
        sso_url TEXT NOT NULL,
        slo_url TEXT,
        certificates TEXT NOT NULL,
        jit INTEGER NOT NULL DEFAULT 1,
        jit_environments TEXT,
        allow_idp_initiated INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE custom_roles (
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        permissions TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (workspace_id, name)
      );
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE members (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'active',
        auth_method TEXT NOT NULL DEFAULT 'saml',
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (workspace_id, user_id)
      );
      CREATE TABLE member_roles (
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        environment TEXT NOT NULL,
        role TEXT NOT NULL,
        PRIMARY KEY (member_id, environment)
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        saml_session_index TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE INDEX sessions_by_workspace ON sessions(workspace_id, ended_at);
      CREATE TABLE authn_requests (
        id TEXT PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        relay_state TEXT,
        created_at TEXT NOT NULL,
        consumed_at TEXT
      );
      CREATE TABLE consumed_assertions (
        assertion_id TEXT PRIMARY KEY,
        workspace_id INTEGER NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER REFERENCES workspaces(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        source TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_by_workspace ON audit_events(workspace_id, id);
    `,
};
