import type { Db } from '../db/open.js';

/** How a session was authenticated; each environment lists the methods it accepts. */
export type AuthMethod = 'saml' | 'password';
export const AUTH_METHODS: readonly AuthMethod[] = ['saml', 'password'];

/**
 * Seed 001 "You can customize authentication methods for each environment. For example:
 * Dev: Password auth, Test: SSO, Prod: SSO". An environment without a setting accepts both.
 */
export function environmentMethods(
  db: Db,
  workspaceId: number,
  environments: readonly string[],
): Record<string, AuthMethod[]> {
  const rows = db
    .prepare('SELECT environment, methods FROM environment_auth WHERE workspace_id = ?')
    .all(workspaceId) as { environment: string; methods: string }[];
  const set = new Map(rows.map((r) => [r.environment, JSON.parse(r.methods) as AuthMethod[]]));
  return Object.fromEntries(environments.map((e) => [e, set.get(e) ?? [...AUTH_METHODS]]));
}

export function putEnvironmentMethods(
  db: Db,
  workspaceId: number,
  methods: Record<string, AuthMethod[]>,
): void {
  const put = db.prepare(
    `INSERT INTO environment_auth (workspace_id, environment, methods) VALUES (?, ?, ?)
     ON CONFLICT (workspace_id, environment) DO UPDATE SET methods = excluded.methods`,
  );
  for (const [env, m] of Object.entries(methods)) put.run(workspaceId, env, JSON.stringify(m));
}
