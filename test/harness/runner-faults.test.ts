import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTarget } from '../../harness/src/env/embedded-target.js';
import type { RunSpec, RunTarget, Target } from '../../harness/src/env/target.js';
import type { Report } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import type { TargetSpec } from '../../harness/src/runner/target-spec.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';
import { ROOT, spKeys } from '../helpers/world.js';

/** Observer-only runs: they create no users, so runs can share one SP without meeting each other's accounts. */
const observerRuns = () =>
  plan(loadScenarios([join(ROOT, 'test/harness/fixtures/suite/not-on-google.yaml')]), {
    idps: ['okta', 'onelogin', 'entra', 'google'],
    driver: 'http',
  });

const runs = () =>
  plan(loadScenarios([join(ROOT, 'scenarios/jit/new-user.yaml')]), {
    idps: ['okta', 'onelogin', 'entra', 'google'],
    driver: 'http',
  });

const codes = (r: Report) => r.results.map((x) => (x.status === 'error' ? x.steps.at(-1)?.code : x.status));

/** A reference SP behind a proxy that holds the first workspace creation open forever: a hung target. */
async function hangingFirstRequest(sp: RunningSp, onHang: () => void): Promise<Server> {
  let hung = false;
  const server = createServer((req: IncomingMessage, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (!hung && req.method === 'POST' && req.url === '/api/admin/workspaces') {
        hung = true;
        onHang();
        return;
      }
      const r = await fetch(sp.url + req.url, {
        method: req.method,
        headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await r.arrayBuffer()));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

function externalSpec(sp: RunningSp, adminUrl: string): TargetSpec {
  return {
    kind: 'external',
    file: 'inline',
    config: {
      name: 'proxied reference SP',
      sp: { loginUrl: `${sp.url}/w/{workspace}` },
      signedIn: { text: 'Signed in as {email}' },
      admin: { baseUrl: adminUrl, token: sp.adminToken },
      observer: { baseUrl: sp.url, token: sp.adminToken },
    },
  };
}

/** The worker processes of the runner that this test process started. */
function workerPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('runner/worker.ts'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

describe('harness: a crashed or hung target becomes an error and the run goes on', function () {
  this.timeout(120_000);
  let sp: RunningSp;
  let proxy: Server | undefined;
  before(async () => {
    sp = await startSp({ keyPair: spKeys() });
  });
  afterEach(() => {
    proxy?.close();
    proxy?.closeAllConnections();
  });
  after(async () => sp?.close());

  it('a run that overruns the run timeout in this process is ERR_RUN_TIMEOUT; the others pass', async () => {
    const embedded = new EmbeddedTarget();
    let calls = 0;
    const hangsOnce: Target = {
      kind: 'embedded',
      description: 'embedded SP that hangs once',
      prepareRun: (spec: RunSpec): Promise<RunTarget> =>
        calls++ === 0 ? new Promise<never>(() => {}) : embedded.prepareRun(spec),
      close: () => embedded.close(),
    };
    const report = await runSuite(runs(), {
      driver: 'http',
      workers: 2,
      // The abandoned run still waits out its step timeout in the background: keep it short.
      stepTimeoutMs: 4000,
      runTimeoutMs: 1500,
      reporters: [],
      target: hangsOnce,
    }).finally(() => hangsOnce.close());
    expect(codes(report)).to.deep.equal(['ERR_RUN_TIMEOUT', 'passed', 'passed', 'passed']);
    expect(report.results[0]!.message).to.match(/run timeout of 1500 ms/);
  });

  for (const isolation of ['thread', 'process'] as const) {
    it(`a worker ${isolation} whose target hangs past the run timeout is replaced; the others pass`, async () => {
      proxy = await hangingFirstRequest(sp, () => {});
      const report = await runSuite(observerRuns(), {
        driver: 'http',
        workers: 1,
        processes: true,
        isolation,
        stepTimeoutMs: 60_000,
        runTimeoutMs: 2500,
        reporters: [],
        targetSpec: externalSpec(sp, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`),
      });
      expect(codes(report)).to.deep.equal(['ERR_RUN_TIMEOUT', 'passed', 'passed', 'not-applicable']);
      expect(report.results[0]!.message).to.match(/its worker was stopped/);
    });
  }

  it('a worker process that dies mid-case gives ERR_WORKER_CRASHED for that case; the others pass', async () => {
    proxy = await hangingFirstRequest(sp, () => {
      for (const pid of workerPids()) process.kill(pid, 'SIGKILL');
    });
    const report = await runSuite(observerRuns(), {
      driver: 'http',
      workers: 1,
      processes: true,
      isolation: 'process',
      stepTimeoutMs: 60_000,
      runTimeoutMs: 60_000,
      reporters: [],
      targetSpec: externalSpec(sp, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`),
    });
    expect(codes(report)).to.deep.equal(['ERR_WORKER_CRASHED', 'passed', 'passed', 'not-applicable']);
    expect(report.results[0]!.message).to.match(/signal SIGKILL/);
    expect(report.summary).to.include({ passed: 2, failed: 0, skipped: 0, errors: 1, notApplicable: 1 });
  });

  it('the CLI exits once its report is written, without waiting out the step timeout of an abandoned case', async function () {
    // A target whose front page answers (so it is reachable) and whose sign-in never does: the
    // sign-in hangs until the step timeout (2 min).
    const silent = createServer((req, res) => {
      if (req.url === '/') res.end('up');
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as AddressInfo).port;
    // A pre-configured SP trusts the IdP at a fixed address: take a port that is free now.
    const free = createNetServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const idpPort = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));
    const dir = mkdtempSync(join(tmpdir(), 'harness-exit-'));
    const targetFile = join(dir, 'target.yaml');
    writeFileSync(
      targetFile,
      [
        'name: silent',
        'sp:',
        '  entityId: https://silent.example/sp',
        `  acsUrl: http://127.0.0.1:${port}/acs`,
        `  loginUrl: http://127.0.0.1:${port}/login`,
        '  settings: { jit: true, customRoles: [mktg_ops] }',
        'signedIn: { text: "Signed in as {email}" }',
        `idp: { port: ${idpPort} }`,
        '',
      ].join('\n'),
    );
    const started = Date.now();
    // Spawned without blocking: the silent target lives in this process and must answer its front page.
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/idp-harness.js'),
        'run',
        join(ROOT, 'scenarios/jit/sp-initiated.yaml'),
        '--idp',
        'okta',
        '--target',
        targetFile,
        '--timeout',
        '2m',
        '--run-timeout',
        '1s',
        '--no-progress',
        '--reporter',
        `json=${join(dir, 'report.json')}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const cli = await new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>(
      (resolve) => child.once('exit', (status, signal) => resolve({ status, signal, stderr })),
    );
    clearTimeout(killer);
    silent.closeAllConnections();
    silent.close();
    expect(cli.signal, 'the CLI had to be killed').to.equal(null);
    expect(cli.stderr).to.not.match(/ERR_(?!RUN_TIMEOUT)/, cli.stderr);
    expect(cli.status).to.equal(2);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(codes(report)).to.deep.equal(['ERR_RUN_TIMEOUT']);
    // Well inside the 2-minute step timeout the abandoned sign-in is still waiting on.
    expect(Date.now() - started).to.be.below(60_000);
  });
});
