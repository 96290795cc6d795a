import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATEMENT_CACHE_SIZE, openDatabase } from '../../sp-under-test/src/db/open.js';

describe('sp-under-test statement cache', () => {
  const open = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'sp-stmt-')), 'sp.sqlite'));

  it('compiles one SQL text once and reuses the statement with new parameters each time', () => {
    const db = open();
    const insert = db.prepare(
      'INSERT INTO workspaces (slug, name, environments, created_at) VALUES (?, ?, ?, ?)',
    );
    expect(
      db.prepare('INSERT INTO workspaces (slug, name, environments, created_at) VALUES (?, ?, ?, ?)'),
    ).to.equal(insert);
    insert.run('a', 'A', '["DEV"]', 1);
    insert.run('b', 'B', '["DEV"]', 2);
    const bySlug = 'SELECT name FROM workspaces WHERE slug = ?';
    expect(db.prepare(bySlug).get('a')).to.deep.equal({ name: 'A' });
    expect(db.prepare(bySlug).get('b')).to.deep.equal({ name: 'B' });
    expect(db.prepare(bySlug).get('c')).to.equal(undefined);
    db.close();
  });

  it('still answers SQL texts past its size, compiling them per call', () => {
    const db = open();
    for (let i = 0; i < STATEMENT_CACHE_SIZE; i++) db.prepare(`SELECT ${i} AS n`).get();
    const past = `SELECT ${STATEMENT_CACHE_SIZE} AS n`;
    expect(db.prepare(past).get()).to.deep.equal({ n: STATEMENT_CACHE_SIZE });
    expect(db.prepare(past)).to.not.equal(db.prepare(past));
    expect(db.prepare('SELECT 0 AS n')).to.equal(db.prepare('SELECT 0 AS n'));
    db.close();
  });

  it('reports bad SQL as better-sqlite3 does, and caches nothing for it', () => {
    const db = open();
    expect(() => db.prepare('SELEC nothing')).to.throw(/syntax error/);
    expect(() => db.prepare('SELEC nothing')).to.throw(/syntax error/);
    db.close();
  });
});
