import type { Migration } from '../migrations.js';

/**
 * A workspace's SAML signature policy: whether RSA-SHA1 signatures are accepted. NULL keeps
 * the SP-wide default (`allowSha1` in config.ts).
 */
export const samlSignaturePolicy: Migration = {
  version: 4,
  name: 'per-workspace SAML signature policy',
  sql: `
      ALTER TABLE saml_settings ADD COLUMN allow_sha1 INTEGER;
  `,
};
