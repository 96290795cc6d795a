/* eslint-disable @typescript-eslint/no-explicit-any -- transcripts and answers are read loosely */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { startIdp, type RunningIdp } from '../../mock-idp/src/index.js';
import { loadSetupFile } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { ROOT, admin } from '../helpers/world.js';
import { ROLE_URN, startScimWorld, type ScimWorld } from './helpers.js';

/** Drives one vendor tenant's engine through the mock IdP's admin API. */
async function tenantFor(
  idp: RunningIdp,
  vendor: string,
  conn: { baseUrl: string; token: string },
  options = {},
) {
  const setup = loadSetupFile(join(ROOT, `fixtures/setups/${vendor}.yaml`));
  for (const u of setup.users) u.assigned = false;
  idp.tenants.set(setup.tenant, new Tenant(setup, () => idp.url));
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}/scim${path}`, {
      method,
      headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const conf = await call('PUT', '', { ...conn, options: { retryBaseMs: 10, ...options } });
  expect(conf.status, JSON.stringify(conf.body)).to.equal(200);
  return call;
}

const sent = (r: { body: any }) =>
  (r.body.transcript as any[]).map(
    (e) =>
      `${e.method} ${decodeURIComponent(new URL(e.url).pathname.replace(/^.*\/v2/, '') + new URL(e.url).search)}`,
  );

describe('mock-idp SCIM provisioning engines against the reference SP', function () {
  let w: ScimWorld;
  let idp: RunningIdp;
  beforeEach(async () => {
    w = await startScimWorld();
    idp = await startIdp();
  });
  afterEach(async () => {
    await idp.close();
    await w.close();
  });

  it("Okta: connection test, match-then-create, path-less deactivation, reactivation and group push in Okta's order", async () => {
    const okta = await tenantFor(idp, 'okta', { baseUrl: w.base, token: w.token });
    const test = await okta('POST', '/test-connection');
    expect(sent(test)).to.deep.equal([
      'GET /Users?startIndex=1&count=2',
      'GET /Groups?startIndex=1&count=100',
    ]);
    expect(test.body.transcript[0].requestHeaders['user-agent']).to.equal('Okta SCIM Client 1.0.0');
    const assign = await okta('POST', '/assign', { user: 'maria.garcia@acme.example' });
    expect(sent(assign)).to.deep.equal([
      'GET /Users?filter=userName eq "maria.garcia@acme.example"&startIndex=1&count=100',
      'POST /Users',
    ]);
    const body = assign.body.transcript[1].requestBody;
    expect(body).to.include({ userName: 'maria.garcia@acme.example', active: true, locale: 'en-US' });
    expect(body.externalId).to.match(/^00u/);
    expect(body[ROLE_URN]).to.deep.equal({
      workato_role: 'mktg_ops',
      workato_role_test: 'Analyst',
      workato_role_prod: 'Operator',
    });
    const off = await okta('POST', '/deactivate', { user: 'maria.garcia@acme.example', how: 'suspend' });
    expect(off.body.transcript[0].requestBody.Operations).to.deep.equal([
      { op: 'replace', value: { active: false } },
    ]);
    // Lifting a suspension is the same PATCH with true, and nothing more: no profile, no roles.
    const on = await okta('POST', '/reactivate', { user: 'maria.garcia@acme.example' });
    expect(sent(on)).to.have.length(1);
    expect(sent(on)[0]).to.match(/^PATCH \/Users\//);
    expect(on.body.transcript[0].requestBody.Operations).to.deep.equal([
      { op: 'replace', value: { active: true } },
    ]);
    // A re-assignment after an unassignment pushes the app user, roles included.
    await okta('POST', '/deactivate', { user: 'maria.garcia@acme.example', how: 'unassign' });
    const back = await okta('POST', '/reactivate', { user: 'maria.garcia@acme.example' });
    expect(sent(back).map((x) => x.split(' ')[0])).to.deep.equal(['PATCH', 'GET', 'PUT']);
    expect(back.body.transcript[2].requestBody[ROLE_URN]).to.include({ workato_role: 'mktg_ops' });
    const group = await okta('POST', '/group-push', { group: 'Marketing' });
    expect(
      sent(group)
        .slice(-3)
        .map((x) => x.split('?')[0]),
    ).to.deep.equal(['GET /Groups', 'POST /Groups', `PATCH /Groups/${group.body.result.id}`]);
    const members = (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/members')).body;
    // Provisioned and invited: she has not followed the invitation link yet (seeds 002–004).
    expect(members.map((m) => [m.email, m.status])).to.deep.equal([['maria.garcia@acme.example', 'invited']]);
  });

  it('Entra: capitalised Replace with "False" by default, lower-case ops, booleans and value objects with aadOptscim062020', async () => {
    const entra = await tenantFor(idp, 'entra', { baseUrl: w.base, token: w.token });
    const test = await entra('POST', '/test-connection');
    expect(test.body.result.ok).to.equal(true);
    expect(sent(test)[0]).to.match(/^GET \/Users\?filter=userName eq "[0-9a-f-]{36}"$/);
    const created = await entra('POST', '/assign', { user: 'maria.garcia@acme.example' });
    const post = created.body.transcript.find((e: any) => e.method === 'POST').requestBody;
    expect(post.schemas).to.deep.equal([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ]);
    expect(post[ROLE_URN].workato_role).to.equal('mktg_ops');
    const off = await entra('POST', '/deactivate', { user: 'maria.garcia@acme.example', how: 'unassign' });
    const patchOff = off.body.transcript.find((e: any) => e.method === 'PATCH').requestBody;
    expect(patchOff.Operations).to.deep.equal([{ op: 'Replace', path: 'active', value: 'False' }]);

    const other = await startScimWorld();
    try {
      const modern = await tenantFor(
        idp,
        'entra',
        { baseUrl: other.base, token: other.token },
        { aadOptscim062020: true },
      );
      await modern('POST', '/assign', { user: 'maria.garcia@acme.example' });
      const up = await modern('POST', '/update', {
        user: 'maria.garcia@acme.example',
        profile: { givenname: 'Mara', surname: 'Garcia-Lopez' },
      });
      const patch = up.body.transcript.find((e: any) => e.method === 'PATCH').requestBody;
      expect(patch.Operations).to.deep.equal([
        { op: 'replace', value: { 'name.givenName': 'Mara', 'name.familyName': 'Garcia-Lopez' } },
      ]);
      const gone = await modern('POST', '/deactivate', { user: 'maria.garcia@acme.example', how: 'block' });
      expect(
        gone.body.transcript.find((e: any) => e.method === 'PATCH').requestBody.Operations,
      ).to.deep.equal([{ op: 'replace', value: { active: false } }]);
    } finally {
      await other.close();
    }
  });

  it('OneLogin: the template body (emails as one object, empty custom fields as ""), PUT for updates and suspension', async () => {
    const onelogin = await tenantFor(idp, 'onelogin', { baseUrl: w.base, token: w.token });
    const created = await onelogin('POST', '/assign', { user: 'dev.builder@acme.example' });
    const post = created.body.transcript.find((e: any) => e.method === 'POST').requestBody;
    expect(post.emails).to.deep.equal({ value: 'dev.builder@acme.example', primary: true, type: 'work' });
    expect(post[ROLE_URN]).to.deep.equal({ workato_role: '', workato_role_test: '', workato_role_prod: '' });
    const off = await onelogin('POST', '/deactivate', { user: 'dev.builder@acme.example', how: 'delete' });
    expect(sent(off).map((x) => x.split(' ')[0])).to.deep.equal(['PUT']);
    expect(off.body.transcript[0].requestBody.active).to.equal(false);
    const members = (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/members')).body;
    expect(members[0]).to.include({ email: 'dev.builder@acme.example', status: 'deactivated' });
    expect(members[0].roles).to.deep.equal({ DEV: 'Operator', TEST: 'Operator', PROD: 'Operator' });
  });

  it('Google Workspace has no SCIM engine for custom SAML apps', async () => {
    const setup = loadSetupFile(join(ROOT, 'fixtures/setups/google.yaml'));
    idp.tenants.set(setup.tenant, new Tenant(setup, () => idp.url));
    const res = await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}/scim`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ baseUrl: w.base, token: w.token }),
    });
    expect(res.status).to.equal(409);
    expect(((await res.json()) as any).error.code).to.equal('ERR_SCIM_UNSUPPORTED');
  });
});

describe('mock-idp SCIM client: retries with backoff and bounded concurrency', function () {
  let server: Server;
  let base: string;
  let idp: RunningIdp;
  let inFlight = 0;
  let maxInFlight = 0;
  let plan: (
    req: { method?: string; url?: string },
    n: number,
  ) => { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number };
  let calls = 0;

  beforeEach(async () => {
    calls = 0;
    inFlight = 0;
    maxInFlight = 0;
    server = createServer((req, res) => {
      const n = ++calls;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      req.resume();
      req.on('end', () => {
        const a = plan(req, n);
        setTimeout(() => {
          inFlight--;
          res.writeHead(a.status, { 'content-type': 'application/scim+json', ...a.headers });
          res.end(a.body === undefined ? '' : JSON.stringify(a.body));
        }, a.delayMs ?? 0);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
    idp = await startIdp();
  });
  afterEach(async () => {
    await idp.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('honours 429 Retry-After and retries 5xx until the SP answers', async () => {
    plan = (_req, n) =>
      n === 1
        ? { status: 429, headers: { 'retry-after': '0' }, body: { status: '429' } }
        : n === 2
          ? { status: 503, body: { status: '503' } }
          : { status: 200, body: { totalResults: 0, Resources: [] } };
    const okta = await tenantFor(idp, 'okta', { baseUrl: base, token: 't' });
    const r = await okta('POST', '/test-connection');
    expect(r.body.result.ok).to.equal(true);
    expect(r.body.transcript.map((e: any) => [e.status, e.attempt])).to.deep.equal([
      [429, 1],
      [503, 2],
      [200, 3],
      [200, 1],
    ]);
  });

  it('gives up after the last attempt and reports the refusal with the transcript', async () => {
    plan = () => ({ status: 500, body: { status: '500' } });
    const okta = await tenantFor(idp, 'okta', { baseUrl: base, token: 't' }, { maxAttempts: 3 });
    const r = await okta('POST', '/assign', { user: 'maria.garcia@acme.example' });
    expect(r.status).to.equal(422);
    expect(r.body.error.code).to.equal('ERR_SCIM_REFUSED');
    expect(r.body.transcript).to.have.length(3);
  });

  it('keeps at most `concurrency` requests in flight while pushing many users', async () => {
    plan = (req) =>
      req.method === 'GET'
        ? { status: 200, body: { totalResults: 0, Resources: [] }, delayMs: 20 }
        : { status: 201, body: { id: `id-${Math.random()}` }, delayMs: 20 };
    const okta = await tenantFor(idp, 'okta', { baseUrl: base, token: 't' });
    const setup = [...idp.tenants.values()].at(-1)!.setup;
    for (let i = 0; i < 12; i++)
      setup.users.push({ login: `bulk${i}@acme.example`, password: 'x', assigned: true });
    const r = await okta('POST', '/push', {
      users: setup.users.filter((u) => u.login.startsWith('bulk')).map((u) => u.login),
    });
    expect(r.status, JSON.stringify(r.body.error)).to.equal(200);
    expect(r.body.result).to.have.length(12);
    expect(maxInFlight).to.be.greaterThan(1);
    expect(maxInFlight).to.be.at.most(4);
  });
});

describe('mock-idp SCIM connection from a tenant setup file', function () {
  it('takes the base URL, the token (or its environment variable) and options from the setup', async () => {
    const w = await startScimWorld();
    const idp = await startIdp();
    try {
      const setup = loadSetupFile(join(ROOT, 'fixtures/setups/okta.yaml'));
      process.env.SETUP_SCIM_TOKEN = w.token;
      const res = await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          ...setup,
          scim: { baseUrl: w.base, tokenEnv: 'SETUP_SCIM_TOKEN', options: { concurrency: 2 } },
        }),
      });
      expect(res.status).to.equal(200);
      const test = await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}/scim/test-connection`, {
        method: 'POST',
        headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(((await test.json()) as any).result.ok).to.equal(true);
    } finally {
      delete process.env.SETUP_SCIM_TOKEN;
      await idp.close();
      await w.close();
    }
  });
});

describe('mock-idp SCIM engines: provisioning actions switched off in the console', function () {
  it('sends no deactivation when "Deactivate Users" is off, and no creation when "Create Users" is off', async () => {
    const w = await startScimWorld();
    const idp = await startIdp();
    try {
      const okta = await tenantFor(
        idp,
        'okta',
        { baseUrl: w.base, token: w.token },
        { actions: ['create', 'update'] },
      );
      await okta('POST', '/assign', { user: 'maria.garcia@acme.example' });
      const off = await okta('POST', '/deactivate', { user: 'maria.garcia@acme.example', how: 'suspend' });
      expect(off.body.transcript).to.deep.equal([]);
      expect(off.body.result.reason).to.equal('Deactivate Users is off');
      const members = (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/members')).body;
      expect(members[0].status).to.equal('invited');
      const entra = await tenantFor(
        idp,
        'entra',
        { baseUrl: w.base, token: w.token },
        { actions: ['update'] },
      );
      const r = await entra('POST', '/assign', { user: 'dev.builder@acme.example' });
      expect(sent(r)).to.deep.equal(['GET /Users?filter=userName eq "dev.builder@acme.example"']);
      expect((await admin<any[]>(w.sp, 'GET', '/workspaces/acme/members')).body).to.have.length(1);
    } finally {
      await idp.close();
      await w.close();
    }
  });
});
