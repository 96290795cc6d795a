/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM and admin answers are read loosely in tests */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadSetupFile, startIdp, type RunningIdp } from '../../mock-idp/src/index.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { ROOT } from '../helpers/world.js';

const USERS = 300;
const ADMIN = 'crash-admin-token';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** `idp-harness sp` on a fixed port and data directory, resolved once it listens. */
function startSp(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/idp-harness.js'),
      'sp',
      '--port',
      String(port),
      '--data',
      dataDir,
      '--admin-token',
      ADMIN,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/sp-under-test listening on/.test(out)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the SP exited (${code}) before listening: ${out}`)));
  });
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => c.once('exit', () => r()));

describe('crash durability: kill -9 of the SP during a bulk push from the mock IdP, then the push completes idempotently', function () {
  this.timeout(60_000);
  let sp: ChildProcess | undefined;
  let idp: RunningIdp | undefined;
  after(async () => {
    sp?.kill('SIGKILL');
    await idp?.close();
  });

  it(`keeps every user answered 201 exactly once, and a second push of all ${USERS} adds the rest without duplicates`, async () => {
    const port = await freePort();
    const spUrl = `http://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-crash-'));
    sp = await startSp(port, dataDir);
    const spAdmin = async (method: string, path: string, body?: unknown) =>
      (await (
        await fetch(`${spUrl}/api/admin${path}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json()) as any;
    await spAdmin('POST', '/workspaces', { slug: 'acme', environments: ['DEV', 'TEST', 'PROD'] });
    const token = await spAdmin('POST', '/workspaces/acme/scim-tokens');

    idp = await startIdp();
    const setup = loadSetupFile(join(ROOT, 'fixtures/setups/okta.yaml'));
    setup.users = Array.from({ length: USERS }, (_, i) => ({
      login: `bulk${i}@acme.example`,
      password: 'x',
      assigned: true,
      profile: { firstName: 'Bulk', lastName: String(i), email: `bulk${i}@acme.example` },
    }));
    idp.tenants.set(setup.tenant, new Tenant(setup, () => idp!.url));
    const idpCall = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${idp!.url}/api/admin/tenants/${setup.tenant}/scim${path}`, {
        method,
        headers: { authorization: `Bearer ${idp!.adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const conf = await idpCall('PUT', '', {
      baseUrl: token.baseUrl,
      token: token.token,
      options: { retryBaseMs: 20, maxAttempts: 2 },
    });
    expect(conf.status, JSON.stringify(conf.body)).to.equal(200);
    const logins = setup.users.map((u) => u.login);

    // Push everyone; kill the SP with SIGKILL once it has created some of them.
    const pushing = idpCall('POST', '/push', { users: logins });
    const started = Date.now();
    for (;;) {
      const members = await spAdmin('GET', '/workspaces/acme/members').catch(() => []);
      if (members.length >= 20 || Date.now() - started > 20_000) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    sp.kill('SIGKILL');
    await exited(sp);
    expect(sp.signalCode).to.equal('SIGKILL');
    const interrupted = await pushing;
    expect(interrupted.status, 'the push cannot finish while the SP is down').to.equal(502);

    const transcript = (await (
      await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}/scim/transcript?since=1`, {
        headers: { authorization: `Bearer ${idp.adminToken}` },
      })
    ).json()) as { method: string; status: number; requestBody?: { userName?: string } }[];
    const acknowledged = transcript
      .filter((e) => e.method === 'POST' && e.status === 201)
      .map((e) => e.requestBody!.userName!);
    expect(acknowledged.length, 'users answered 201 before the kill').to.be.greaterThan(0);
    expect(acknowledged.length).to.be.lessThan(USERS);

    // Restart on the same SQLite file: every acknowledged user is there, once.
    sp = await startSp(port, dataDir);
    const listUsers = async () => {
      const page = (await (
        await fetch(`${token.baseUrl}/Users?count=1000`, {
          headers: { authorization: `Bearer ${token.token}` },
        })
      ).json()) as { totalResults: number; Resources: { userName: string }[] };
      return page.Resources.map((r) => r.userName.toLowerCase());
    };
    const afterRestart = await listUsers();
    expect(new Set(afterRestart).size, 'no user twice').to.equal(afterRestart.length);
    for (const u of acknowledged) expect(afterRestart, `${u} was answered 201`).to.include(u.toLowerCase());

    // The vendor retries the push: it matches who exists and creates only the rest.
    const resumed = await idpCall('POST', '/push', { users: logins });
    expect(resumed.status, JSON.stringify(resumed.body.error)).to.equal(200);
    const posts = (resumed.body.transcript as { method: string; status: number }[]).filter(
      (e) => e.method === 'POST',
    );
    expect(posts.every((e) => e.status === 201)).to.equal(true);
    expect(posts.length).to.equal(USERS - afterRestart.length);
    const final = await listUsers();
    expect(final.length).to.equal(USERS);
    expect(new Set(final)).to.deep.equal(new Set(logins));
    const members = await spAdmin('GET', '/workspaces/acme/members');
    expect(members).to.have.length(USERS);
    console.log(
      `      killed after ${acknowledged.length} users answered 201; ${afterRestart.length} present after restart, 0 lost, 0 duplicated; the retry created ${posts.length}`,
    );
  });
});
