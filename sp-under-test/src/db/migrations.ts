import { initial } from './migrations/0001-initial.js';
import { scim } from './migrations/0002-scim.js';
import { domain } from './migrations/0003-domain.js';
import { samlSignaturePolicy } from './migrations/0004-saml-signature-policy.js';
import { signedAuthnRequests } from './migrations/0005-signed-authn-requests.js';
import { scimIdentityClaims } from './migrations/0006-scim-identity-claims.js';
import { invitations } from './migrations/0007-invitations.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Versioned schema migrations, one file each under migrations/. Each runs once, in order,
 * inside a transaction, and `PRAGMA user_version` records how far a database file has come.
 * Never edit a shipped migration; add a new file and list it here.
 */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  scim,
  domain,
  samlSignaturePolicy,
  signedAuthnRequests,
  scimIdentityClaims,
  invitations,
];
