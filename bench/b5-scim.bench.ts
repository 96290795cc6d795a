/**
 * B5 (bench/README.md): SCIM on the reference SP over real HTTP. 10,000 `POST /Users`, then the
 * `userName eq` filter latency at exactly 1,000 and exactly 100,000 users, each size in a fresh
 * SP whose one workspace holds that many members and nothing else. The populations are loaded
 * straight into the SP's SQLite file (the same tables the SCIM server writes) so the bench
 * stays within about 30 s; the filter requests still go over HTTP.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { startSp, type RunningSp } from '../sp-under-test/src/index.js';
import type { Figure } from './figures.js';

const CREATES = Number(process.env.B5_CREATES ?? 10_000);
const CONCURRENCY = 16;
const SAMPLES = 400;

async function setUp(): Promise<{ sp: RunningSp; base: string; token: string }> {
  const sp = await startSp();
  const admin = async (path: string, body?: unknown) => {
    const res = await fetch(`${sp.url}/api/admin${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sp.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return (await res.json()) as Record<string, string>;
  };
  await admin('/workspaces', { slug: 'bench', environments: ['DEV', 'TEST', 'PROD'] });
  const t = await admin('/workspaces/bench/scim-tokens');
  return { sp, base: t.baseUrl!, token: t.token! };
}

/** Adds `total` members (and so SCIM users, through the members trigger) directly. */
function loadPopulation(sp: RunningSp, total: number): void {
  const db = sp.db;
  const ws = (db.prepare("SELECT id FROM workspaces WHERE slug = 'bench'").get() as { id: number }).id;
  const now = new Date().toISOString();
  const addUser = db.prepare('INSERT INTO users (email, name, created_at) VALUES (?, ?, ?)');
  const addMember = db.prepare(
    "INSERT INTO members (workspace_id, user_id, status, source, created_at) VALUES (?, ?, 'active', 'scim', ?)",
  );
  const addRole = db.prepare(
    "INSERT INTO member_roles (member_id, environment, role) VALUES (?, 'DEV', 'Operator')",
  );
  db.transaction(() => {
    for (let i = 0; i < total; i++) {
      const userId = addUser.run(`loaded${i}@bench.example`, `Loaded ${i}`, now).lastInsertRowid;
      addRole.run(addMember.run(ws, userId, now).lastInsertRowid);
    }
  })();
}

/**
 * The load generator runs in its own process (plain node:http with keep-alive), so the SP's
 * event loop serves requests instead of also building them.
 */
const LOAD = String.raw`
const http = require('node:http');
const { base, token, mode, count, concurrency, population, samples } = JSON.parse(process.argv[1]);
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: url.pathname + path, agent,
      headers: { authorization: 'Bearer ' + token, ...(body ? { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => { const chunks = []; res.on('data', (c) => chunks.push(c)); res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() })); });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
const user = (i) => JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'user' + i + '@bench.example',
  name: { givenName: 'Bench', familyName: 'User' + i }, emails: [{ primary: true, value: 'user' + i + '@bench.example', type: 'work' }],
  active: true, 'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole': { workato_role: 'Analyst' } });
(async () => {
  if (mode === 'create') {
    let next = 0, failures = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < count) { const r = await call('POST', '/Users', user(next++)); if (r.status !== 201) failures++; }
    }));
    process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000, failures }));
  } else {
    const times = [];
    for (let i = 0; i < samples; i++) {
      const n = Math.floor(Math.random() * population);
      const t0 = performance.now();
      const r = await call('GET', '/Users?filter=' + encodeURIComponent('userName eq "loaded' + n + '@bench.example"'));
      times.push(performance.now() - t0);
      if (JSON.parse(r.body).totalResults !== 1) throw new Error('filter for loaded' + n + ' missed');
    }
    times.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({ p50: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)] }));
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Members of the bench workspace and users of the whole SP: what a filter searches. */
function population(sp: RunningSp): { members: number; users: number } {
  const one = (sql: string) => (sp.db.prepare(sql).get() as { n: number }).n;
  return {
    members: one(
      "SELECT COUNT(*) AS n FROM members WHERE workspace_id = (SELECT id FROM workspaces WHERE slug = 'bench')",
    ),
    users: one('SELECT COUNT(*) AS n FROM users'),
  };
}

function load<T>(args: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', LOAD, JSON.stringify(args)],
      { maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`load generator failed: ${stderr || err.message}`));
        resolve(JSON.parse(stdout) as T);
      },
    );
  });
}

let creates: Figure | undefined;
let filter: Figure | undefined;

async function measure(): Promise<void> {
  const { sp, base, token } = await setUp();
  try {
    const cpu0 = process.cpuUsage();
    const run = await load<{ seconds: number; failures: number }>({
      base,
      token,
      mode: 'create',
      count: CREATES,
      concurrency: CONCURRENCY,
    });
    const seconds = run.seconds;
    const cpu = process.cpuUsage(cpu0);
    const spCpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (run.failures) throw new Error(`${run.failures} of ${CREATES} creates failed`);
    creates = {
      value: Math.round(CREATES / seconds),
      goal: 2000,
      unit: 'creates/s',
      direction: '>=',
      details: {
        creates: CREATES,
        concurrency: CONCURRENCY,
        seconds: Number(seconds.toFixed(2)),
        // What one core of the SP process spent per create: the rate an unshared core would reach.
        spCpuMsPerCreate: Number(((spCpuSeconds * 1000) / CREATES).toFixed(3)),
        createsPerSpCpuSecond: Math.round(CREATES / spCpuSeconds),
        loadAverage: os.loadavg()[0],
      },
    };
  } finally {
    await sp.close();
  }

  const small = await filterAt(1_000);
  const large = await filterAt(100_000);
  filter = {
    // The goal holds at both sizes, so the figure is the worse of the two.
    value: Number(Math.max(small.p50, large.p50).toFixed(3)),
    goal: 1,
    unit: 'ms p50, the worse of exactly 1k and exactly 100k users',
    direction: '<=',
    details: {
      p50At1kMs: Number(small.p50.toFixed(3)),
      p50At100kMs: Number(large.p50.toFixed(3)),
      ratio100kTo1k: Number((large.p50 / small.p50).toFixed(2)),
      membersAt1k: small.members,
      membersAt100k: large.members,
      samples: SAMPLES,
    },
  };
}

/** Filter p50 in a fresh SP whose workspace holds exactly `size` members, and no other users. */
async function filterAt(size: number): Promise<{ p50: number; members: number }> {
  const { sp, base, token } = await setUp();
  try {
    loadPopulation(sp, size);
    const counted = population(sp);
    if (counted.members !== size || counted.users !== size)
      throw new Error(
        `the filter SP holds ${counted.members} members and ${counted.users} users, not ${size}`,
      );
    const p50 = async () =>
      (await load<{ p50: number }>({ base, token, mode: 'filter', population: size, samples: SAMPLES })).p50;
    await p50(); // warm-up
    return { p50: await p50(), members: counted.members };
  } finally {
    await sp.close();
  }
}

export const figures: Record<string, () => Promise<Figure>> = {
  async B5() {
    if (!creates) await measure();
    return creates!;
  },
  async 'B5-FILTER'() {
    if (!filter) await measure();
    return filter!;
  },
};
