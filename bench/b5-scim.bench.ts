/**
 * B5 (design.md §4): SCIM on the reference SP over real HTTP. 10,000 `POST /Users`, then the
 * `userName eq` filter latency at 1,000 and at 100,000 users. The larger population is loaded
 * straight into the SP's SQLite file (the same tables the SCIM server writes) so the bench
 * stays within about 30 s; the filter requests still go over HTTP.
 */
import { startSp, type RunningSp } from '../sp-under-test/src/index.js';
import type { Figure } from './figures.js';

const CREATES = 10_000;
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

const user = (i: number) =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `user${i}@bench.example`,
    name: { givenName: 'Bench', familyName: `User${i}` },
    emails: [{ primary: true, value: `user${i}@bench.example`, type: 'work' }],
    active: true,
    'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole': { workato_role: 'Analyst' },
  });

/** Adds members (and so SCIM users, through the members trigger) directly, up to `total`. */
function loadPopulation(sp: RunningSp, from: number, total: number): void {
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
    for (let i = from; i < total; i++) {
      const userId = addUser.run(`loaded${i}@bench.example`, `Loaded ${i}`, now).lastInsertRowid;
      addRole.run(addMember.run(ws, userId, now).lastInsertRowid);
    }
  })();
}

/** GET that retries once when the server closed an idle keep-alive socket while the population loaded. */
async function get(url: string, token: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    return fetch(url, { headers: { authorization: `Bearer ${token}` } });
  }
}

async function filterP50(base: string, token: string, population: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const n = Math.floor(Math.random() * population);
    const filter = encodeURIComponent(`userName eq "loaded${n}@bench.example"`);
    const t0 = performance.now();
    const res = await get(`${base}/Users?filter=${filter}`, token);
    const body = (await res.json()) as { totalResults: number };
    times.push(performance.now() - t0);
    if (body.totalResults !== 1) throw new Error(`filter for loaded${n} found ${body.totalResults}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

let creates: Figure | undefined;
let filter: Figure | undefined;

async function measure(): Promise<void> {
  const { sp, base, token } = await setUp();
  try {
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CREATES) {
          const i = next++;
          const res = await fetch(`${base}/Users`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
            body: user(i),
          });
          await res.arrayBuffer();
          if (res.status !== 201) failures++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    if (failures) throw new Error(`${failures} of ${CREATES} creates failed`);
    creates = {
      value: Math.round(CREATES / seconds),
      goal: 1000,
      unit: 'creates/s',
      direction: '>=',
      details: { creates: CREATES, concurrency: CONCURRENCY, seconds: Number(seconds.toFixed(2)) },
    };

    loadPopulation(sp, 0, 1_000);
    await filterP50(base, token, 1_000); // warm-up
    const small = await filterP50(base, token, 1_000);
    loadPopulation(sp, 1_000, 100_000);
    await filterP50(base, token, 100_000); // warm-up
    const large = await filterP50(base, token, 100_000);
    filter = {
      value: Number(large.toFixed(3)),
      goal: 2,
      unit: 'ms p50 at 100k users',
      direction: '<=',
      details: {
        p50At1kMs: Number(small.toFixed(3)),
        p50At100kMs: Number(large.toFixed(3)),
        ratio100kTo1k: Number((large / small).toFixed(2)),
        samples: SAMPLES,
      },
    };
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
