import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from './clock.js';
import { SP_DEFAULTS, type SpConfig, type SpOptions } from './config.js';
import { openDatabase, type Db } from './db/open.js';
import type { SpContext } from './http/context.js';
import { createApp } from './http/app.js';
import { loadOrCreateSpKeys } from './keys.js';
import { Mailer } from './mail/mailer.js';
import { groupCommitOf } from './db/group-commit.js';

export interface RunningSp {
  url: string;
  adminToken: string;
  dataDir: string;
  dbFile: string;
  clock: SystemClock;
  db: Db;
  close(): Promise<void>;
}

/** Starts the reference SP: opens (or creates) its SQLite file and listens for HTTP. */
export async function startSp(options: SpOptions = {}): Promise<RunningSp> {
  const merged = {
    ...SP_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const dataDir = merged.dataDir ?? mkdtempSync(join(tmpdir(), 'sp-under-test-'));
  mkdirSync(dataDir, { recursive: true });
  const config: SpConfig = {
    ...merged,
    dataDir,
    adminToken: merged.adminToken ?? randomBytes(24).toString('base64url'),
  };
  const dbFile = join(dataDir, 'sp.sqlite');
  const db = openDatabase(dbFile);
  const clock = new SystemClock();
  let baseUrl = config.publicUrl?.replace(/\/$/, '') ?? '';
  const ctx: SpContext = {
    db,
    config,
    clock,
    keyPair: config.keyPair ?? loadOrCreateSpKeys(dataDir),
    mailer: new Mailer(db, config, clock),
    baseUrl: () => baseUrl,
  };
  const app = createApp(ctx);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 5000;
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  if (!baseUrl) baseUrl = url;
  return {
    url,
    adminToken: config.adminToken,
    dataDir,
    dbFile,
    clock,
    db,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      ctx.mailer.close();
      groupCommitOf(db).flush();
      db.close();
    },
  };
}
