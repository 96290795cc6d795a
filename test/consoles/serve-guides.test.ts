import { expect } from 'chai';
import { HarnessError } from '../../harness/src/errors.js';
import { startServe, type RunningServe } from '../../harness/src/serve/serve.js';

const MARIA = 'maria.garcia@acme.example';

async function membersOf(s: RunningServe, ws: string): Promise<{ email: string; status: string }[]> {
  const r = await fetch(`${s.sp.url}/api/admin/workspaces/${ws}/members`, {
    headers: { authorization: `Bearer ${s.sp.adminToken}` },
  });
  return (await r.json()) as { email: string; status: string }[];
}

describe('serve: guided demos on the start page, and --scenario preparing the state of a case', function () {
  this.timeout(90_000);

  it('refuses a case that is not a guided demo with ERR_BAD_OPTION, before starting anything', async () => {
    const err = await startServe({ scenario: 'jit.no-such-case' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HarnessError);
    expect((err as HarnessError).code).to.equal('ERR_BAD_OPTION');
  });

  const cases: [string, (s: RunningServe) => Promise<void>][] = [
    [
      'jit.new-user',
      async (s) => {
        expect(await membersOf(s, 'okta')).to.deep.equal([]);
      },
    ],
    [
      'multiws.second-workspace-requires-email-verification',
      async (s) => {
        expect((await membersOf(s, 'okta')).map((m) => m.email)).to.deep.equal([MARIA]);
        expect(await membersOf(s, 'onelogin')).to.deep.equal([]);
      },
    ],
    [
      'scim.deprovision-mid-session-next-action-locked-out',
      async (s) => {
        const maria = (await membersOf(s, 'okta')).find((m) => m.email === MARIA);
        expect(maria?.status).to.equal('active');
      },
    ],
  ];
  for (const [id, check] of cases) {
    it(`--scenario ${id}: prepares the state, opens that guide, and every link of every guide answers`, async () => {
      const s = await startServe({ scenario: id });
      try {
        expect(s.prepared?.case).to.equal(id);
        await check(s);
        const html = await (await fetch(`${s.url}/`)).text();
        const guides = [...html.matchAll(/<details class="card" data-guide="([^"]+)"( open)?/g)];
        expect(guides.map((g) => g[1])).to.have.members([
          'jit.new-user',
          'multiws.second-workspace-requires-email-verification',
          'scim.deprovision-mid-session-next-action-locked-out',
        ]);
        expect(guides.filter((g) => g[2]).map((g) => g[1])).to.deep.equal([id]);
        expect(html).to.include('data-prepared');
        const hrefs = [...html.matchAll(/data-guide-link="[a-z-]+" href="([^"]+)"/g)].map(
          (m) => new URL(m[1]!.replace(/&amp;/g, '&'), s.url).href,
        );
        expect(hrefs.length).to.be.greaterThan(5);
        for (const href of hrefs) {
          const r = await fetch(href, { redirect: 'manual' });
          expect(r.status, href).to.be.oneOf([200, 302, 303]);
        }
        expect(html.match(/data-guide-link="console"/g)?.length).to.equal(2);
      } finally {
        await s.close();
      }
    });
  }
});
