import type { Db } from './open.js';

/** The real setImmediate, kept even when a test fakes the global timers. */
const later = globalThis.setImmediate;

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: writes that arrive together (a bulk SCIM push keeps many requests in flight)
 * share one SQLite COMMIT instead of paying for one each. Each write still runs on its own as
 * a savepoint, so a failing write changes nothing and the others go on; its promise settles
 * only once the COMMIT that holds it is done, so a caller answers success only for what is on
 * disk. The batch commits as soon as the event loop has run the callbacks ready with it
 * (setImmediate), and whenever `flush` is called: before any request that is not in a batch
 * and before the database closes.
 */
export class GroupCommit {
  private open = false;
  private waiters: Waiter[] = [];

  constructor(private readonly db: Db) {}

  /** Runs `work` in the current batch (opening one); resolves with its result once committed. */
  write<T>(work: () => T): Promise<T> {
    if (!this.open) {
      // Someone else's transaction is open (a caller inside a transaction): join it as before.
      if (this.db.inTransaction) return Promise.resolve(this.db.transaction(work)());
      this.db.exec('BEGIN');
      this.open = true;
      later(() => this.flush());
    }
    let result: T;
    try {
      result = this.db.transaction(work)();
    } finally {
      // An error that rolled back the whole transaction (SQLITE_FULL, …) lost the batch too.
      if (!this.db.inTransaction) this.abandon(new Error('the SQLite transaction was rolled back'));
    }
    return new Promise<T>((resolve, reject) => {
      if (!this.open) return reject(new Error('the SQLite transaction was rolled back'));
      this.waiters.push({ resolve: () => resolve(result), reject });
    });
  }

  /** Commits the open batch, if any, and settles its writes. */
  flush(): void {
    if (!this.open) return;
    const waiters = this.waiters;
    this.open = false;
    this.waiters = [];
    try {
      this.db.exec('COMMIT');
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const w of waiters) w.reject(e);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  private abandon(e: Error): void {
    if (!this.open) return;
    const waiters = this.waiters;
    this.open = false;
    this.waiters = [];
    for (const w of waiters) w.reject(e);
  }
}

const batches = new WeakMap<Db, GroupCommit>();

/** The one GroupCommit of a connection. */
export function groupCommitOf(db: Db): GroupCommit {
  let g = batches.get(db);
  if (!g) {
    g = new GroupCommit(db);
    batches.set(db, g);
  }
  return g;
}
