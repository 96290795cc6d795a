/**
 * B3 (bench/README.md): complete SP-initiated logins over the HTTP driver, per second, on all cores.
 *
 * The bench runs the way the harness runs a suite with `--workers <cores>`: one worker thread per
 * core, each owning a mock IdP and an embedded reference SP (harness/src/env/embedded-target.ts)
 * on real HTTP ports. Each worker sets up one workspace per IdP profile (SAML with JIT, the
 * environments and custom role of jit.new-user) and one IdP tenant for it, then runs concurrent
 * login loops. Every login is the harness's own `login` step with a new HttpDriver (an empty
 * cookie jar): open the workspace, follow the AuthnRequest redirect to the IdP, submit its login
 * form, POST the SAMLResponse to the ACS, land on the workspace page; it must land signed in.
 *
 * The floor is the protocol work a login cannot avoid: the mock IdP signing that user's Response
 * (Tenant.respond, as B1 measures it) plus saml2-js `post_assert` verifying it with a
 * ServiceProvider and IdentityProvider configured as the reference SP's ACS configures them.
 * It is measured in the same workers, one loop per core, in phases alternating with the login
 * phases, so both see the same machine. The figure is logins/s ÷ floor logins/s.
 */
import { showsSignedIn } from '../harness/src/env/signed-in.js';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import saml2 from 'saml2-js';
import { Tenant } from '../mock-idp/src/tenant.js';
import { HttpDriver } from '../harness/src/drivers/http-driver.js';
import { EmbeddedTarget } from '../harness/src/env/embedded-target.js';
import { MockIdp, type TenantInfo } from '../harness/src/env/idp.js';
import type { RunTarget } from '../harness/src/env/target.js';
import { FIXTURES_DIR } from '../harness/src/paths.js';
import type { IdpId } from '../harness/src/scenario/types.js';
import type { RunContext } from '../harness/src/steps/context.js';
import { login } from '../harness/src/steps/login.js';
import type { TenantSetup } from '../mock-idp/src/index.js';
import type { Figure } from './figures.js';

/** Every knob of the bench, in one place. */
export const B3_DEFAULTS = {
  profiles: ['okta', 'onelogin', 'entra', 'google'] as IdpId[],
  /** Concurrent login loops in each worker: enough that one login's network waits overlap another's work. */
  loopsPerWorker: 4,
  /** Logins per worker before anything is timed (JIT creates each user's account here). */
  warmupLogins: 16,
  /** Alternating floor and login phases; the figure is the median ratio over the rounds. */
  rounds: 3,
  floorPhaseMs: 1000,
  loginPhaseMs: 3000,
  /** A login taking longer than this fails the bench. */
  loginTimeoutMs: 15_000,
  /** Environments and custom role of scenarios/jit/new-user.yaml, which the IdP users' roles need. */
  environments: ['DEV', 'TEST', 'PROD'],
  customRoles: ['mktg_ops'],
};

type ToWorker = { phase: 'floor' | 'logins'; ms: number } | { phase: 'stop' };
type FloorResult = { count: number; elapsedMs: number; mintMs: number; verifyMs: number };
type LoginResult = { count: number; elapsedMs: number; latenciesMs: number[] };
type FromWorker =
  | { type: 'ready'; workspaces: number; users: number; setupMs: number }
  | { type: 'floor'; result: FloorResult }
  | { type: 'logins'; result: LoginResult }
  | { type: 'error'; message: string };

/** One workspace of the worker's SP, trusting one tenant of its mock IdP. */
interface Lane {
  ctx: RunContext;
  setup: TenantSetup;
  tenant: TenantInfo;
  target: RunTarget;
}

// ───────────────────────────── worker side ─────────────────────────────

/** Adds a lane per profile to `lanes` (which the caller disposes, also when this fails half-way). */
async function setUpLanes(idp: MockIdp, embedded: EmbeddedTarget, lanes: Lane[]): Promise<void> {
  for (const profile of B3_DEFAULTS.profiles) {
    // A reference SP per profile: the same person in a second workspace of one SP would be asked to verify their email.
    const target = await embedded.prepareRun({
      runId: `b3-${profile}`,
      idp: profile,
      environments: B3_DEFAULTS.environments,
      customRoles: B3_DEFAULTS.customRoles,
    });
    lanes.push({ target } as Lane);
    const setup = idp.setupFor(profile, undefined, {
      tenant: `${profile}-b3`,
      acsUrl: target.acsUrl,
      audience: target.spEntityId,
    });
    const tenant = await idp.putTenant(setup);
    await target.configureSaml(await idp.metadata(tenant), { jit: true });
    const ctx: RunContext = {
      runId: 'b3',
      idp: profile,
      driver: new HttpDriver(B3_DEFAULTS.loginTimeoutMs),
      target,
      tenant,
      setup,
      screenshotDir: '',
      observed: {},
      mockIdp: idp,
    };
    lanes[lanes.length - 1] = { ctx, setup, tenant, target };
  }
}

/** Every (lane, user) pair, so successive logins go round the profiles and their users. */
function loginPlan(lanes: Lane[]): { lane: Lane; user: string }[] {
  const plan: { lane: Lane; user: string }[] = [];
  const longest = Math.max(...lanes.map((l) => l.setup.users.length));
  for (let u = 0; u < longest; u++)
    for (const lane of lanes) {
      const user = lane.setup.users[u];
      if (user && user.assigned !== false) plan.push({ lane, user: user.login });
    }
  return plan;
}

/** One whole SP-initiated login in a new browser; throws unless it lands signed in. */
async function oneLogin(lane: Lane, user: string): Promise<void> {
  const driver = new HttpDriver(B3_DEFAULTS.loginTimeoutMs);
  const ctx: RunContext = { ...lane.ctx, driver, observed: {} };
  await login(ctx, { user });
  const page = driver.current();
  if (!page || !showsSignedIn(await lane.target.signedIn(page, driver), user)) {
    throw new Error(
      `B3: ${user} (${lane.ctx.idp}) did not land signed in: ${page?.status} ${page?.url} ${page?.text.slice(0, 200)}`,
    );
  }
}

async function loginPhase(plan: { lane: Lane; user: string }[], ms: number, next: () => number) {
  const latenciesMs: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + ms;
  const loop = async () => {
    while (performance.now() < deadline) {
      const { lane, user } = plan[next() % plan.length]!;
      const s = performance.now();
      await oneLogin(lane, user);
      latenciesMs.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: B3_DEFAULTS.loopsPerWorker }, loop));
  return { count: latenciesMs.length, elapsedMs: performance.now() - t0, latenciesMs };
}

/** Mint then saml2-js-verify, for each lane, as the IdP and the reference SP's ACS do them. */
function floorOps(lanes: Lane[], idpUrl: string) {
  const spKeys = {
    privateKeyPem: readFileSync(join(FIXTURES_DIR, 'keys', 'sp.key.pem'), 'utf8'),
    certificatePem: readFileSync(join(FIXTURES_DIR, 'keys', 'sp.cert.pem'), 'utf8'),
  };
  return lanes.flatMap((lane) => {
    const tenant = new Tenant(lane.setup, () => idpUrl);
    const sp = new saml2.ServiceProvider({
      entity_id: lane.target.spEntityId,
      assert_endpoint: lane.target.acsUrl,
      private_key: spKeys.privateKeyPem,
      certificate: spKeys.certificatePem,
      allow_unencrypted_assertion: true,
    });
    const idp = new saml2.IdentityProvider({
      sso_login_url: lane.tenant.ssoUrl,
      sso_logout_url: lane.tenant.ssoUrl,
      certificates: [tenant.certificatePem],
    });
    return lane.setup.users
      .filter((u) => u.assigned !== false)
      .map((user) => ({
        mint: () =>
          Buffer.from(tenant.respond(user, '_b3-floor', lane.target.acsUrl, new Date()).xml, 'utf8').toString(
            'base64',
          ),
        verify: (SAMLResponse: string) =>
          new Promise<void>((resolve, reject) =>
            sp.post_assert(
              idp,
              {
                request_body: { SAMLResponse },
                allow_unencrypted_assertion: true,
                require_session_index: false,
                audience: lane.target.spEntityId,
                ...{ ignore_timing: true },
              },
              (err: Error | null) =>
                err ? reject(new Error(`B3 floor: saml2-js refused: ${err.message}`)) : resolve(),
            ),
          ),
      }));
  });
}

async function floorPhase(ops: ReturnType<typeof floorOps>, ms: number): Promise<FloorResult> {
  let mintMs = 0;
  let verifyMs = 0;
  let count = 0;
  const t0 = performance.now();
  while (performance.now() < t0 + ms) {
    const op = ops[count % ops.length]!;
    const a = performance.now();
    const response = op.mint();
    const b = performance.now();
    await op.verify(response);
    verifyMs += performance.now() - b;
    mintMs += b - a;
    count++;
  }
  return { count, elapsedMs: performance.now() - t0, mintMs: mintMs / count, verifyMs: verifyMs / count };
}

async function runWorker(): Promise<void> {
  const port = parentPort!;
  const send = (m: FromWorker) => port.postMessage(m);
  const started = performance.now();
  const idp = await MockIdp.start();
  const embedded = new EmbeddedTarget();
  const lanes: Lane[] = [];
  const stop = async () => {
    for (const lane of lanes) await lane.target.dispose();
    await embedded.close();
    await idp.close();
  };
  try {
    await setUpLanes(idp, embedded, lanes);
    const plan = loginPlan(lanes);
    let n = 0;
    const next = () => n++;
    // Warm-up: the first login of each user creates the account (JIT); the rest warm the code paths.
    for (let i = 0; i < Math.max(B3_DEFAULTS.warmupLogins, plan.length); i++) {
      const { lane, user } = plan[next() % plan.length]!;
      await oneLogin(lane, user);
    }
    const ops = floorOps(lanes, idp.url);
    await floorPhase(ops, 200);
    send({
      type: 'ready',
      workspaces: lanes.length,
      users: plan.length,
      setupMs: performance.now() - started,
    });
    port.on('message', (m: ToWorker) => {
      void (async () => {
        try {
          if (m.phase === 'floor') send({ type: 'floor', result: await floorPhase(ops, m.ms) });
          else if (m.phase === 'logins') send({ type: 'logins', result: await loginPhase(plan, m.ms, next) });
          else {
            await stop();
            port.close();
          }
        } catch (e) {
          send({ type: 'error', message: (e as Error).stack ?? String(e) });
        }
      })();
    });
  } catch (e) {
    send({ type: 'error', message: (e as Error).stack ?? String(e) });
    await stop().catch(() => undefined);
  }
}

if (!isMainThread && (workerData as { bench?: string } | undefined)?.bench === 'B3') await runWorker();

// ───────────────────────────── main side ─────────────────────────────

/** A worker thread running this file; thread workers do not inherit tsx, so it registers itself. */
function startWorker(): { worker: Worker; next: () => Promise<FromWorker> } {
  const self = pathToFileURL(import.meta.filename).href;
  const worker = new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(self)}); })`,
    { eval: true, workerData: { bench: 'B3' } },
  );
  const queue: FromWorker[] = [];
  const waiting: ((m: FromWorker) => void)[] = [];
  const deliver = (m: FromWorker) => (waiting.length ? waiting.shift()!(m) : queue.push(m));
  worker.on('message', deliver);
  worker.on('error', (e) => deliver({ type: 'error', message: e.stack ?? String(e) }));
  worker.on('exit', (code) => deliver({ type: 'error', message: `worker exited with code ${code}` }));
  const next = async () => {
    const m = queue.length ? queue.shift()! : await new Promise<FromWorker>((r) => waiting.push(r));
    if (m.type === 'error') throw new Error(`B3 worker failed: ${m.message}`);
    return m;
  };
  return { worker, next };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

async function b3(): Promise<Figure> {
  const cores = availableParallelism();
  const workers = Array.from({ length: cores }, startWorker);
  try {
    const ready = await Promise.all(workers.map((w) => w.next()));
    const rounds: {
      loginsPerSecond: number;
      floorPerSecond: number;
      floor: FloorResult[];
      cpuMsPerLogin: number;
      cpuMsPerFloor: number;
    }[] = [];
    const latencies: number[] = [];
    let logins = 0;
    for (let r = 0; r < B3_DEFAULTS.rounds; r++) {
      // CPU time of the whole process (all workers) per phase: a second view, immune to other processes.
      const cpu = { floor: 0, logins: 0 };
      const phase = async <T extends 'floor' | 'logins'>(m: ToWorker, type: T) => {
        const before = process.cpuUsage();
        for (const w of workers) w.worker.postMessage(m);
        const answers = await Promise.all(workers.map((w) => w.next()));
        const used = process.cpuUsage(before);
        cpu[type] = (used.user + used.system) / 1000;
        return answers.map((a) => {
          if (a.type !== type) throw new Error(`B3: expected ${type} from a worker, got ${a.type}`);
          return (a as Extract<FromWorker, { type: 'floor' | 'logins' }>).result;
        });
      };
      const floor = (await phase({ phase: 'floor', ms: B3_DEFAULTS.floorPhaseMs }, 'floor')) as FloorResult[];
      const runs = (await phase(
        { phase: 'logins', ms: B3_DEFAULTS.loginPhaseMs },
        'logins',
      )) as LoginResult[];
      const floorPerSecond = floor.reduce((s, f) => s + (f.count * 1000) / f.elapsedMs, 0);
      const count = runs.reduce((s, x) => s + x.count, 0);
      const loginsPerSecond = (count * 1000) / Math.max(...runs.map((x) => x.elapsedMs));
      for (const x of runs) latencies.push(...x.latenciesMs);
      logins += count;
      const floorOps = floor.reduce((s, f) => s + f.count, 0);
      rounds.push({
        loginsPerSecond,
        floorPerSecond,
        floor,
        cpuMsPerLogin: cpu.logins / count,
        cpuMsPerFloor: cpu.floor / floorOps,
      });
    }
    const ratios = rounds.map((x) => x.loginsPerSecond / x.floorPerSecond);
    const allFloor = rounds.flatMap((x) => x.floor);
    const mintMs = allFloor.reduce((s, f) => s + f.mintMs, 0) / allFloor.length;
    const verifyMs = allFloor.reduce((s, f) => s + f.verifyMs, 0) / allFloor.length;
    const first = ready[0] as Extract<FromWorker, { type: 'ready' }>;
    return {
      value: round(median(ratios)),
      goal: 0.7,
      unit: 'x the mint + saml2-js verify floor',
      direction: '>=',
      details: {
        loginsPerSecond: round(median(rounds.map((x) => x.loginsPerSecond)), 1),
        floorLoginsPerSecond: round(median(rounds.map((x) => x.floorPerSecond)), 1),
        floorLoginsPerSecondPerCore: round(median(rounds.map((x) => x.floorPerSecond)) / cores, 1),
        mintMs: round(mintMs),
        verifyMs: round(verifyMs),
        // Process CPU time (all threads, GC and libuv included) per login and per floor operation.
        cpuMsPerLogin: round(median(rounds.map((x) => x.cpuMsPerLogin)), 1),
        cpuMsPerFloor: round(median(rounds.map((x) => x.cpuMsPerFloor)), 1),
        p50Ms: round(percentile(latencies, 50), 1),
        p99Ms: round(percentile(latencies, 99), 1),
        cores,
        workers: cores,
        concurrency: cores * B3_DEFAULTS.loopsPerWorker,
        logins,
        profiles: B3_DEFAULTS.profiles,
        usersPerWorker: first.users,
        // Starting the IdP and the SPs, setting them up and the warm-up logins, in the slowest worker.
        setupSeconds: round(Math.max(...ready.map((r) => (r as typeof first).setupMs)) / 1000, 1),
        rounds: B3_DEFAULTS.rounds,
        ratiosPerRound: ratios.map((x) => round(x)),
        loginPhaseMs: B3_DEFAULTS.loginPhaseMs,
        floorPhaseMs: B3_DEFAULTS.floorPhaseMs,
      },
    };
  } finally {
    for (const w of workers) w.worker.postMessage({ phase: 'stop' } satisfies ToWorker);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(() => void w.worker.terminate().then(() => resolve()), 5000);
            w.worker.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
  }
}

export const figures: Record<string, () => Promise<Figure>> = { B3: b3 };
