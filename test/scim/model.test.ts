import http from 'node:http';
import { expect } from 'chai';
import fc from 'fast-check';
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';
import { admin, spKeys } from '../helpers/world.js';
import type { ScimAnswer } from './helpers.js';
import { UserStore } from '../../sp-under-test/src/scim/users.js';
import { CreateUser, scimCommands, type Real } from './model/commands.js';
import { ScimModel } from './model/model.js';

/** One keep-alive connection: node:http costs a fraction of fetch per request, and this test sends thousands. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(url: string, method: string, token: string, body?: unknown): Promise<ScimAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload !== undefined
            ? { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, text, body: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sequences per run of `npm test`, and their longest length: about 2,400 steps in all. */
const RUNS = Number(process.env.SCIM_MODEL_RUNS ?? 140);
const MAX_COMMANDS = 34;
const MIN_STEPS = Math.min(2000, RUNS * 10);

/**
 * Stateful test of the reference SP's SCIM server: random sequences of create, replace,
 * patch, delete, get and filter over Users and Groups that share userNames, emails and names,
 * each against a fresh workspace of one SP, checked against ScimModel after every step
 * (model/commands.ts lists the invariants). SCIM_MODEL_SEED replays a failure.
 */
describe('sp-under-test SCIM server against a model (RFC 7643/7644, uniqueness)', function () {
  let sp: RunningSp;
  before(async () => {
    sp = await startSp({ keyPair: spKeys() });
  });
  after(async () => {
    agent.destroy();
    await sp.close();
  });

  const steps = { count: 0 };
  const accounts = new Map<string, string>();
  let workspaces = 0;
  const fresh = async (): Promise<Real> => {
    const slug = `model-${++workspaces}`;
    await admin(sp, 'POST', '/workspaces', { slug, environments: ['DEV'] });
    const t = await admin<{ token: string; baseUrl: string }>(sp, 'POST', `/workspaces/${slug}/scim-tokens`);
    const { token, baseUrl } = t.body;
    return {
      steps,
      scim: (method, path, body) => request(baseUrl + path, method, token, body),
    };
  };

  it('keeps every invariant over a few thousand random steps', async function () {
    // A few seconds alone; minutes when the machine is shared by many test runs.
    this.timeout(300_000);
    const seed = process.env.SCIM_MODEL_SEED
      ? Number(process.env.SCIM_MODEL_SEED)
      : Date.now() ^ (Math.random() * 0x7fffffff);
    try {
      await fc.assert(
        fc.asyncProperty(scimCommands(MAX_COMMANDS), (cmds) =>
          fc.asyncModelRun(async () => ({ model: new ScimModel(accounts), real: await fresh() }), cmds),
        ),
        { numRuns: RUNS, seed, endOnFailure: true },
      );
    } catch (e) {
      console.error(`      SCIM model test failed; replay with SCIM_MODEL_SEED=${seed}`);
      throw e;
    }
    console.log(
      `      ${steps.count} steps in ${RUNS} sequences (seed ${seed}), invariants checked after each`,
    );
    expect(steps.count).to.be.at.least(MIN_STEPS);
  });

  it('fails against an SP whose POST takes over the User that holds the address', async () => {
    // The defect this test exists for: a create linked to any member with the same address,
    // answering 201 with the id of another User and renaming it.
    const store = UserStore.prototype as unknown as Record<string, unknown>;
    const create = store.create as (this: { db: RunningSp['db'] }, ...a: unknown[]) => unknown;
    const requireFreeAddress = store.requireFreeAddress;
    store.requireFreeAddress = () => undefined;
    store.create = function (this: { db: RunningSp['db'] }, ...a: unknown[]) {
      this.db.prepare('UPDATE scim_users SET provisioned = 0').run();
      return create.apply(this, a);
    };
    try {
      const anna = { email: 'anna@example.com', displayName: 'Anna', active: undefined };
      const run = fc.asyncModelRun(
        async () => ({ model: new ScimModel(accounts), real: await fresh() }),
        [new CreateUser({ userName: 'emp1', ...anna }), new CreateUser({ userName: 'emp2', ...anna })],
      );
      let failure: unknown;
      await run.catch((e: unknown) => (failure = e));
      expect(String(failure)).to.match(/expected 201 to equal 409/);
    } finally {
      store.create = create;
      store.requireFreeAddress = requireFreeAddress;
    }
  });
});
