import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../helpers/world.js';

/** Starts `idp-harness sp` on a data directory and resolves with its URL once it listens. */
function startSpProcess(dataDir: string, adminToken: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/idp-harness.js'), 'sp', '--port', '0', '--data', dataDir, '--admin-token', adminToken],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /sp-under-test listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`the SP exited (${code}) before listening: ${out}`)));
  });
}

describe('scim.rfc.durability: kill -9 during a bulk SCIM push', function () {
  it('keeps every user that was answered 201, once', async function () {
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-durability-'));
    const adminToken = 'durability-admin-token';
    let { child, url } = await startSpProcess(dataDir, adminToken);
    const adminCall = async (method: string, path: string, body?: unknown) =>
      (await (
        await fetch(`${url}/api/admin${path}`, {
          method,
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json()) as Record<string, string>;
    try {
      await adminCall('POST', '/workspaces', { slug: 'acme' });
      const { token } = await adminCall('POST', '/workspaces/acme/scim-tokens');
      const created = new Set<string>();
      const total = 5000;
      const senders = 8;
      /** The SP is killed once this many users were answered 201: in the middle of the push. */
      const killAfter = 100;
      let next = 0;
      let killed = false;
      let sentWhenKilled = 0;
      /** Senders whose request got no answer: the kill cut the push short for each of them. */
      let interrupted = 0;
      await Promise.all(
        Array.from({ length: senders }, async () => {
          while (next < total) {
            const userName = `bulk${next++}@acme.example`;
            try {
              const res = await fetch(`${url}/scim/v2/Users`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
                body: JSON.stringify({ userName, emails: [{ value: userName, primary: true }] }),
              });
              if (res.status === 201) created.add(userName);
              await res.arrayBuffer();
            } catch {
              interrupted++;
              return; // the SP is gone
            }
            if (!killed && created.size >= killAfter) {
              sentWhenKilled = next;
              killed = child.kill('SIGKILL');
            }
          }
        }),
      );
      await new Promise((r) =>
        child.exitCode !== null || child.signalCode ? r(undefined) : child.once('exit', r),
      );
      // The kill really interrupted the push: it came mid-way, and every sender lost its connection.
      expect(killed).to.equal(true);
      expect(sentWhenKilled).to.be.lessThan(total);
      expect(next).to.be.lessThan(total);
      expect(interrupted).to.equal(senders);
      expect(child.signalCode).to.equal('SIGKILL');
      expect(created.size).to.be.greaterThan(0);

      ({ child, url } = await startSpProcess(dataDir, adminToken));
      const seen: string[] = [];
      for (let start = 1; ; start += 1000) {
        const page = (await (
          await fetch(`${url}/scim/v2/Users?startIndex=${start}&count=1000`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { totalResults: number; Resources: { userName: string }[] };
        seen.push(...page.Resources.map((r) => r.userName));
        if (start + 1000 > page.totalResults) break;
      }
      expect(new Set(seen).size).to.equal(seen.length);
      for (const u of created) expect(seen, `${u} was answered 201`).to.include(u);
      const members = (await (
        await fetch(`${url}/api/admin/workspaces/acme/members`, {
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).json()) as unknown[];
      expect(members).to.have.length(seen.length);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
