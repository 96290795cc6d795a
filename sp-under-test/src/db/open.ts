import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** How many distinct SQL texts one connection keeps compiled (see cacheStatements). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * Makes `db.prepare` compile each SQL text once and hand back the same statement afterwards:
 * every request runs the same few dozen queries, and compiling one costs more than running
 * it. Statements are only ever run to completion (`get`/`all`/`run`, never `iterate` or the
 * mode setters `pluck`/`raw`/`expand`), so sharing one between callers is safe. Past
 * STATEMENT_CACHE_SIZE texts (SQL built from input), further ones are compiled per call.
 */
function cacheStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = compile(sql);
      if (cache.size < STATEMENT_CACHE_SIZE) cache.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

/** Opens (creating if needed) the SP's SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  cacheStatements(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db): number {
  const current = schemaVersion(db);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `database schema version ${current} is newer than this SP (${latest}); refusing to open it`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
