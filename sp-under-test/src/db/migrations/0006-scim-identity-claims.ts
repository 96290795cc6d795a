import type { Migration } from '../migrations.js';

/**
 * Who holds a SCIM identity. `email` is the address the resource names (its primary email,
 * else the first, else a userName that is an address); `provisioned` is set once a SCIM
 * client has created or written the resource. A member whose identity was only given by the
 * members trigger has none yet, and a POST naming its address takes it over (an IdP bringing
 * existing SSO users under provisioning); any other POST or change that would share an
 * address or userName with another resource is refused (RFC 7643 §2.1 uniqueness).
 */
export const scimIdentityClaims: Migration = {
  version: 6,
  name: 'scim identities: their address, and whether a SCIM client has claimed them',
  sql: `
      ALTER TABLE scim_users ADD COLUMN email TEXT COLLATE NOCASE;
      ALTER TABLE scim_users ADD COLUMN provisioned INTEGER NOT NULL DEFAULT 0;
      UPDATE scim_users SET
        email = (SELECT u.email FROM members m JOIN users u ON u.id = m.user_id WHERE m.id = scim_users.member_id),
        provisioned = CASE WHEN version > 1 OR attributes <> '{}' OR external_id IS NOT NULL
          OR member_id IN (SELECT id FROM members WHERE source = 'scim') THEN 1 ELSE 0 END;
      CREATE INDEX scim_users_by_email ON scim_users(workspace_id, email);
      DROP TRIGGER members_get_scim_identity;
      CREATE TRIGGER members_get_scim_identity AFTER INSERT ON members
      BEGIN
        INSERT OR IGNORE INTO scim_users (member_id, workspace_id, scim_id, user_name, email, created_at, last_modified)
          SELECT NEW.id, NEW.workspace_id, lower(hex(randomblob(16))), u.email, u.email, NEW.created_at, NEW.created_at
          FROM users u WHERE u.id = NEW.user_id;
      END;
  `,
};
