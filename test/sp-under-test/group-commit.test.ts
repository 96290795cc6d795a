import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit } from '../../sp-under-test/src/db/group-commit.js';
import { openDatabase } from '../../sp-under-test/src/db/open.js';

describe('sp-under-test group commit', () => {
  const open = () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sp-group-')), 'sp.sqlite');
    return { db: openDatabase(file), file };
  };
  const insert = 'INSERT INTO workspaces (slug, name, environments, created_at) VALUES (?, ?, ?, 1)';
  const slugs = (file: string) => {
    const reader = new Database(file, { readonly: true });
    try {
      return (reader.prepare('SELECT slug FROM workspaces ORDER BY slug').all() as { slug: string }[]).map(
        (r) => r.slug,
      );
    } finally {
      reader.close();
    }
  };

  it('commits writes that arrive together once, and settles each only when it is on disk', async () => {
    const { db, file } = open();
    const commits = new GroupCommit(db);
    const a = commits.write(() => db.prepare(insert).run('a', 'A', '[]').changes);
    const b = commits.write(() => db.prepare(insert).run('b', 'B', '[]').changes);
    expect(db.inTransaction).to.equal(true);
    expect(slugs(file), 'another connection sees nothing before the commit').to.deep.equal([]);
    expect(await Promise.all([a, b])).to.deep.equal([1, 1]);
    expect(db.inTransaction).to.equal(false);
    expect(slugs(file)).to.deep.equal(['a', 'b']);
    db.close();
  });

  it('a failing write changes nothing and the others of its batch still commit', async () => {
    const { db, file } = open();
    const commits = new GroupCommit(db);
    const a = commits.write(() => db.prepare(insert).run('a', 'A', '[]'));
    expect(() =>
      commits.write(() => {
        db.prepare(insert).run('half', 'Half', '[]');
        db.prepare(insert).run('a', 'duplicate slug', '[]');
      }),
    ).to.throw(/UNIQUE/);
    const c = commits.write(() => db.prepare(insert).run('c', 'C', '[]'));
    await Promise.all([a, c]);
    expect(slugs(file)).to.deep.equal(['a', 'c']);
    db.close();
  });

  it('flush commits at once, and a write inside a caller’s own transaction joins it', async () => {
    const { db, file } = open();
    const commits = new GroupCommit(db);
    const a = commits.write(() => db.prepare(insert).run('a', 'A', '[]'));
    commits.flush();
    expect(slugs(file)).to.deep.equal(['a']);
    await a;
    db.transaction(() => {
      void commits.write(() => db.prepare(insert).run('b', 'B', '[]'));
    })();
    expect(db.inTransaction).to.equal(false);
    expect(slugs(file)).to.deep.equal(['a', 'b']);
    db.close();
  });
});
