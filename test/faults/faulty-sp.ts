import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { referencePages } from '../../harness/src/env/embedded-target.js';
import { ReferenceApiObserver } from '../../harness/src/env/observers/reference-api.js';
import { referenceOutcomes, referenceSignedIn } from '../../harness/src/env/reference-markup.js';
import type { RunSpec, RunTarget, Target } from '../../harness/src/env/target.js';
import { ROOT } from '../helpers/world.js';

/**
 * What goes wrong, on the first request matching `on`:
 * - `crash`: the SP process is killed with SIGKILL and nothing answers on its address any more;
 * - `hang`: the request is accepted and never answered;
 * - `garbage`: bytes that are not HTTP come back, then the connection closes;
 * - `garbage-json`: a well-formed HTTP 200 whose JSON body is not JSON;
 * - `close`: the connection is closed without an answer.
 */
export type Fault = 'crash' | 'hang' | 'garbage' | 'garbage-json' | 'close';
export interface FaultPlan {
  fault: Fault | 'none';
  on: { method: string; path: RegExp };
}

/** A reference SP in its own process (`idp-harness sp`), reached through a proxy that can inject one fault. */
export class FaultySp {
  private hits = 0;
  private crashed = false;
  private readonly sockets = new Set<Socket>();
  readonly events: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly upstream: string,
    readonly adminToken: string,
    private readonly proxy: Server,
    readonly url: string,
    private readonly plan: FaultPlan,
  ) {
    proxy.on('request', (req, res) => this.handle(req, res));
    proxy.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(plan: FaultPlan): Promise<FaultySp> {
    const proxy = http.createServer();
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const adminToken = randomBytes(12).toString('hex');
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/idp-harness.js'),
        'sp',
        '--port',
        '0',
        '--public-url',
        url,
        '--admin-token',
        adminToken,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const upstream = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the SP did not start: ${out}`)), 20_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /sp-under-test listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`the SP exited with ${code}: ${out}`)));
    });
    return new FaultySp(child, upstream, adminToken, proxy, url, plan);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.crashed) return void req.socket.destroy();
    const matches = this.plan.on.method === req.method && this.plan.on.path.test(req.url ?? '');
    if (matches && this.plan.fault !== 'none' && this.hits++ === 0) {
      this.events.push(`${this.plan.fault} on ${req.method} ${req.url}`);
      switch (this.plan.fault) {
        case 'crash':
          this.crashed = true;
          this.child.kill('SIGKILL');
          for (const s of this.sockets) s.destroy();
          this.proxy.close();
          return;
        case 'hang':
          return;
        case 'garbage':
          req.socket.end(Buffer.from('\x00\x7f\x1b[2J not an HTTP answer \xff\xfe\r\n\r\n', 'latin1'));
          return;
        case 'garbage-json':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"members": [ this is not json');
          return;
        case 'close':
          req.socket.destroy();
          return;
      }
    }
    const target = new URL(req.url ?? '/', this.upstream);
    const up = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  }

  /** Whether the SP process has ended. */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.proxy.close(() => r()));
    if (!this.exited) {
      const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
      this.child.kill('SIGTERM');
      await gone;
    }
  }
}

/**
 * A target whose runs each get a FaultySp, with the faults given in run order. The SP
 * processes are started up front, so a short step timeout measures the faults, not start-up.
 */
export class FaultyTarget implements Target {
  readonly kind = 'external';
  readonly description = 'reference SP processes behind a fault-injecting proxy';
  readonly disposed: FaultySp[] = [];
  private next = 0;
  private constructor(readonly started: FaultySp[]) {}

  static async start(plans: FaultPlan[]): Promise<FaultyTarget> {
    return new FaultyTarget(await Promise.all(plans.map((p) => FaultySp.start(p))));
  }

  async prepareRun(_spec: RunSpec): Promise<RunTarget> {
    const sp = this.started[this.next++];
    if (!sp) throw new Error('more runs than prepared SPs');
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sp.upstream}/api/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${sp.adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const created = (await admin('POST', '/workspaces', {
      slug: 'acme',
      environments: ['DEV', 'TEST', 'PROD'],
    })) as { saml: { entityId: string; acsUrl: string } };
    await admin('POST', '/workspaces/acme/roles', { name: 'mktg_ops' });
    return {
      baseUrl: sp.url,
      workspace: 'acme',
      spEntityId: created.saml.entityId,
      acsUrl: created.saml.acsUrl,
      loginUrl: `${sp.url}/w/acme`,
      pages: referencePages(sp.url, 'acme'),
      observer: new ReferenceApiObserver(sp.url, sp.adminToken, 'acme'),
      configureSaml: async (metadataXml, settings) => {
        await admin('PUT', '/workspaces/acme/saml', { metadataXml, ...settings });
      },
      signedIn: referenceSignedIn(sp.url),
      outcome: referenceOutcomes(sp.url),
      dispose: async () => {
        this.disposed.push(sp);
        await sp.close();
      },
    };
  }

  async close(): Promise<void> {
    for (const sp of this.started) await sp.close().catch(() => undefined);
  }
}
