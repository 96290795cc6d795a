import type { Migration } from '../migrations.js';

/**
 * Whether the workspace signs its AuthnRequests (HTTP-Redirect: `SigAlg` and `Signature` in the
 * query, SAML Bindings 3.4.4.1), for IdP apps that require signed requests. Off by default.
 */
export const signedAuthnRequests: Migration = {
  version: 5,
  name: 'per-workspace signed AuthnRequests',
  sql: `
      ALTER TABLE saml_settings ADD COLUMN sign_authn_requests INTEGER NOT NULL DEFAULT 0;
  `,
};
