import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../sp-under-test/src/db/migrations.js';
import { openDatabase, schemaVersion } from '../../sp-under-test/src/db/open.js';
import { startSp } from '../../sp-under-test/src/index.js';
import { admin, spKeys } from '../helpers/world.js';
import { Browser, startSpWorld } from './sp-world.js';

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('sp-under-test SQLite store: the domain schema', () => {
  it('an empty file migrates to the latest version with every domain table', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sp-domain-')), 'sp.sqlite'));
    try {
      expect(schemaVersion(db)).to.equal(MIGRATIONS.at(-1)!.version);
      expect(tables(db)).to.include.members([
        'organisations',
        'environment_auth',
        'workspace_groups',
        'workspace_group_members',
        'assets',
        'email_verifications',
        'mail_outbox',
      ]);
      expect(MIGRATIONS.map((m) => m.version)).to.deep.equal(
        [...MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b),
      );
    } finally {
      db.close();
    }
  });

  it('a version 1 file with data upgrades in place and keeps it, with defaults for the new settings', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sp-upgrade-')), 'sp.sqlite');
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0]!.sql);
    v1.pragma('user_version = 1');
    const at = '2026-01-01T00:00:00.000Z';
    v1.prepare(
      "INSERT INTO workspaces (slug, name, environments, created_at) VALUES ('acme', 'Acme', '[\"DEV\"]', ?)",
    ).run(at);
    v1.prepare("INSERT INTO users (email, name, created_at) VALUES ('a@acme.example', 'A', ?)").run(at);
    v1.prepare("INSERT INTO members (workspace_id, user_id, source, created_at) VALUES (1, 1, 'jit', ?)").run(
      at,
    );
    v1.prepare("INSERT INTO member_roles (member_id, environment, role) VALUES (1, 'DEV', 'Admin')").run();
    v1.prepare(
      "INSERT INTO saml_settings (workspace_id, idp_entity_id, sso_url, certificates, updated_at) VALUES (1, 'idp', 'https://idp/sso', '[]', ?)",
    ).run(at);
    v1.close();

    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).to.equal(MIGRATIONS.at(-1)!.version);
      expect(db.prepare('SELECT role FROM member_roles WHERE member_id = 1').get()).to.deep.equal({
        role: 'Admin',
      });
      expect(db.prepare('SELECT enforce_saml_for, group_sync FROM saml_settings').get()).to.deep.equal({
        enforce_saml_for: 'selected',
        group_sync: 0,
      });
      expect(db.prepare('SELECT password_hash FROM users').get()).to.deep.equal({ password_hash: null });
    } finally {
      db.close();
    }
    // Opening again is a no-op.
    const again = openDatabase(file);
    expect(schemaVersion(again)).to.equal(MIGRATIONS.at(-1)!.version);
    again.close();
  });

  it('keeps organisations, sign-in methods, groups, assets, the outbox and a pending verification across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-restart-domain-'));
    const world = await startSpWorld([{ slug: 'finance', environments: ['DEV', 'PROD'] }, { slug: 'hr' }], {
      dataDir,
    });
    const browser = new Browser(world.sp.url);
    await browser.sso(world, 'finance', 'maria.garcia@acme.example');
    await admin(world.sp, 'PUT', '/workspaces/finance/authentication', {
      environments: { DEV: ['password'] },
      enforceSamlFor: 'all-except-admins',
    });
    await admin(world.sp, 'POST', '/workspaces/finance/assets', {
      kind: 'connection',
      name: 'Salesforce',
      owner: 'maria.garcia@acme.example',
    });
    await browser.sso(world, 'hr', 'maria.garcia@acme.example');
    const mail = await world.mail.newest('maria.garcia@acme.example', () => true, 3000);
    const link = mail!.links.find((l) => l.includes('/verify/'))!;
    const read = async (sp: { url: string; adminToken: string }) => {
      const get = async (p: string) => (await admin(sp as never, 'GET', p)).body;
      return {
        orgs: await get('/organisations'),
        // The SP's own URLs follow its new port; everything else must be as it was.
        ws: { ...((await get('/workspaces/finance')) as object), saml: undefined },
        members: await get('/workspaces/finance/members'),
        assets: await get('/workspaces/finance/assets'),
        groups: await get('/workspaces/finance/groups'),
        mail: ((await get('/mail')) as { messages: unknown[] }).messages,
        audit: await get('/workspaces/finance/audit'),
      };
    };
    const before = await read(world.sp);
    const token = world.sp.adminToken;
    await world.close();

    const again = await startSp({ dataDir, adminToken: token, keyPair: spKeys() });
    try {
      const after = await read(again);
      expect(after).to.deep.equal(before);
      expect((before.ws as unknown as { authentication: unknown }).authentication).to.deep.equal({
        environments: { DEV: ['password'], PROD: ['saml', 'password'] },
        enforceSamlFor: 'all-except-admins',
      });
      // The verification started before the restart still works once, from the same browser.
      const b = new Browser(again.url);
      for (const [k, v] of browser.cookies) b.cookies.set(k, v);
      const res = await b.request('GET', link.replace(/^http:\/\/[^/]+/, again.url));
      expect(res.status).to.equal(303);
      const hr = await admin<{ email: string }[]>(again, 'GET', '/workspaces/hr/members');
      expect(hr.body.map((m) => m.email)).to.deep.equal(['maria.garcia@acme.example']);
    } finally {
      await again.close();
    }
  });
});
