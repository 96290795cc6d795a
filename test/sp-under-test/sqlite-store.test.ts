import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../sp-under-test/src/db/migrations.js';
import { openDatabase, schemaVersion } from '../../sp-under-test/src/db/open.js';
import { startSp } from '../../sp-under-test/src/index.js';
import { admin, postToAcs, spKeys, startWorld } from '../helpers/world.js';

describe('sp-under-test SQLite store', () => {
  it('migrates an empty file to the latest schema version, in WAL mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-store-'));
    const db = openDatabase(join(dir, 'sp.sqlite'));
    expect(schemaVersion(db)).to.equal(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    db.close();
  });

  it('refuses a database written by a newer SP', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-store-'));
    const file = join(dir, 'sp.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).to.throw(/newer than this SP/);
  });

  it('keeps workspaces, SAML settings, members and sessions across a restart on the same file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-restart-'));
    const world = await startWorld({ dataDir });
    const maria = world.tenant.user('maria.garcia@acme.example')!;
    expect(
      (await postToAcs(world, world.tenant.respond(maria, undefined, world.acsUrl, new Date()).xml)).status,
    ).to.equal(303);
    const before = await admin(world.sp, 'GET', '/workspaces/acme/members');
    const token = world.sp.adminToken;
    await world.close();

    const again = await startSp({ dataDir, adminToken: token, keyPair: spKeys() });
    try {
      const after = await admin(again, 'GET', '/workspaces/acme/members');
      expect(after.body).to.deep.equal(before.body);
      const sessions = await admin<{ email: string }[]>(again, 'GET', '/workspaces/acme/sessions');
      expect(sessions.body.map((s) => s.email)).to.deep.equal(['maria.garcia@acme.example']);
      const saml = await admin<{ idpEntityId: string }>(again, 'GET', '/workspaces/acme/saml');
      expect(saml.body.idpEntityId).to.equal('http://www.okta.com/exk1fcia6d6EMsf9F0h8');
    } finally {
      await again.close();
    }
  });
});
