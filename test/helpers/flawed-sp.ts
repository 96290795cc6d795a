import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTarget, type SpFront } from '../../harness/src/env/embedded-target.js';
import type { RunSpec, Target } from '../../harness/src/env/target.js';
import type { IdpId } from '../../harness/src/scenario/types.js';
import type { Report } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import type { Db } from '../../sp-under-test/src/db/open.js';
import type { RunningSp } from '../../sp-under-test/src/index.js';

/** One HTTP exchange with the SP, as the flaw sees it. */
export interface Exchange {
  method: string;
  /** Path and query. */
  path: string;
  requestBody: string;
  /** The SP's answer status (in `after` only). */
  status?: number;
}

/**
 * A deliberately wrong variant of the reference SP: the real SP, reached through a proxy that
 * changes what it does around chosen requests, working on the SP's own SQLite database. Each
 * flaw breaks one seed rule the way a careless implementation would, so a test can show that
 * the scenario checking the rule fails against it.
 */
export interface Flaw {
  /** The rule it breaks, for test titles and messages. */
  breaks: string;
  before?(ex: Exchange, db: Db): void;
  after?(ex: Exchange, db: Db): void;
}

class FlawProxy implements SpFront {
  private sp: RunningSp | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly flaws: readonly Flaw[],
  ) {
    server.on('request', (req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(flaws: readonly Flaw[]): Promise<FlawProxy> {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new FlawProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, flaws);
  }

  attach(sp: RunningSp): void {
    this.sp = sp;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sp = this.sp;
    if (!sp) return void res.writeHead(503).end('the SP is not attached yet');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const ex: Exchange = { method: req.method ?? 'GET', path: req.url ?? '/', requestBody: body.toString() };
    try {
      for (const f of this.flaws) f.before?.(ex, sp.db);
      const upstream = new URL(sp.url);
      const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
        (resolve, reject) => {
          const out = http.request(
            {
              host: upstream.hostname,
              port: upstream.port,
              method: ex.method,
              path: ex.path,
              headers: { ...req.headers, 'content-length': String(body.length) },
            },
            (r) => {
              const parts: Buffer[] = [];
              r.on('data', (d: Buffer) => parts.push(d));
              r.on('end', () =>
                resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(parts) }),
              );
              r.on('error', reject);
            },
          );
          out.on('error', reject);
          out.end(body);
        },
      );
      ex.status = answer.status;
      for (const f of this.flaws) f.after?.(ex, sp.db);
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(answer.body.length);
      res.writeHead(answer.status, headers).end(answer.body);
    } catch (e) {
      res.writeHead(502).end(`the flawed SP's proxy failed: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** The reference SP with flaws; `observer: false` also hides its observer API (graded on pages only). */
export class FlawedTarget implements Target {
  readonly kind = 'external';
  readonly description: string;
  private readonly inner: EmbeddedTarget;

  constructor(
    flaws: readonly Flaw[],
    private readonly opts: { observer?: boolean } = {},
  ) {
    this.description = `reference SP that ${flaws.map((f) => f.breaks).join('; ')}`;
    this.inner = new EmbeddedTarget({ front: () => FlawProxy.start(flaws) });
  }

  async prepareRun(spec: RunSpec) {
    const run = await this.inner.prepareRun(spec);
    return this.opts.observer === false ? { ...run, observer: null } : run;
  }

  close() {
    return this.inner.close();
  }
}

/** Runs scenario files over the given IdP profiles (http driver) against a target, or the reference SP. */
export async function runScenarios(
  files: string[],
  idps: IdpId[],
  target: Target = new EmbeddedTarget(),
): Promise<Report> {
  const runs = plan(loadScenarios(files), { idps, driver: 'http' });
  try {
    return await runSuite(runs, {
      driver: 'http',
      workers: 1,
      reportsDir: mkdtempSync(join(tmpdir(), 'seed-rules-')),
      reporters: [],
      target,
    });
  } finally {
    await target.close();
  }
}

/** Each result as `case [idp]: status — message`, for assertion messages. */
export const summary = (r: Report): string =>
  r.results.map((x) => `${x.case} [${x.idp}]: ${x.status}${x.message ? ` — ${x.message}` : ''}`).join('\n');
