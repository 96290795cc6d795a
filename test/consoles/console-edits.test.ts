import { expect } from 'chai';
import { startServe, type RunningServe } from '../../harness/src/serve/serve.js';

const MARIA = 'maria.garcia@acme.example';

/** A console session over HTTP: signs in with the admin token, reads the anti-forgery token, posts forms. */
async function consoleOf(s: RunningServe, tenant: string) {
  const signIn = await fetch(`${s.idp.url}/console/session`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: s.idp.adminToken, next: `/${tenant}/admin` }).toString(),
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const page = () => fetch(`${s.idp.url}/${tenant}/admin`, { headers: { cookie } }).then((r) => r.text());
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page())![1]!;
  return {
    page,
    async post(op: string, form: Record<string, string>) {
      await fetch(`${s.idp.url}/${tenant}/admin/${op}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ csrf, ...form }).toString(),
      });
      return page();
    },
  };
}

const log = async (s: RunningServe) =>
  (await (await fetch(`${s.url}/scim-log.json`)).json()) as { method: string; requestBody?: unknown }[];

const memberRoles = async (s: RunningServe, ws: string) => {
  const r = await fetch(`${s.sp.url}/api/admin/workspaces/${ws}/members`, {
    headers: { authorization: `Bearer ${s.sp.adminToken}` },
  });
  return ((await r.json()) as { email: string; roles: Record<string, string> }[]).find(
    (m) => m.email === MARIA,
  )?.roles;
};

describe('consoles: an edit goes out as the vendor sends it — at once for Okta, with the next cycle for Entra', function () {
  this.timeout(60_000);
  let serve: RunningServe;
  before(async () => {
    serve = await startServe();
  });
  after(() => serve?.close());

  it('okta: Provision User, then an edited workato_role is PUT to the app at once', async () => {
    const c = await consoleOf(serve, 'acme-okta');
    await c.post('provision-user', { user: MARIA });
    expect(await memberRoles(serve, 'okta')).to.include({ DEV: 'mktg_ops' });
    const before = (await log(serve)).length;
    const html = await c.post('edit', { user: MARIA, 'role.workato_role': 'Admin' });
    expect(html).to.match(/class="flash ok"[^>]*data-flash="Edit user"/);
    const sent = (await log(serve)).slice(before);
    expect(sent.map((e) => e.method)).to.include('PUT');
    expect(JSON.stringify(sent)).to.include('"workato_role":"Admin"');
    expect(await memberRoles(serve, 'okta')).to.include({ DEV: 'Admin' });
  });

  it('entra: an edit sends nothing until the next cycle; Provision on demand sends it now', async () => {
    const c = await consoleOf(serve, 'acme-entra');
    await c.post('provision-on-demand', { user: MARIA });
    expect(await memberRoles(serve, 'entra')).to.include({ DEV: 'mktg_ops' });
    const before = (await log(serve)).length;
    const html = await c.post('edit', { user: MARIA, 'role.workato_role': 'Admin' });
    expect(html).to.include('No SCIM request was sent.');
    expect((await log(serve)).length).to.equal(before);
    expect(await memberRoles(serve, 'entra')).to.include({ DEV: 'mktg_ops' });
    await c.post('provision-on-demand', { user: MARIA });
    expect(await memberRoles(serve, 'entra')).to.include({ DEV: 'Admin' });
  });
  it("okta: a group assignment leaves Maria's individual values; Convert Assignments, Convert selected, pushes the group's", async () => {
    const c = await consoleOf(serve, 'acme-okta');
    await c.post('provision-user', { user: MARIA });
    await c.post('edit', { user: MARIA, 'role.workato_role': 'Analyst' });
    let html = await c.post('assign-group', { group: 'Marketing', 'role.workato_role': 'Operator' });
    expect(html).to.match(/<tr data-group="Marketing"><td>Marketing<\/td><td>\d+<\/td><td>1<\/td>/);
    expect(await memberRoles(serve, 'okta')).to.include({ DEV: 'Analyst' });
    expect(html).to.include('Select assignments to convert');
    expect(html).to.include(`name="select" value="${MARIA}"`);
    const before = (await log(serve)).length;
    html = await c.post('convert-assignments', { select: MARIA });
    expect(html).to.match(
      /class="flash ok"[^>]*data-flash="Convert Assignments"><b>Convert Assignments<\/b>: Successfully converted 1 assignment/,
    );
    expect(html).to.match(new RegExp(`<tr data-user="${MARIA}">.*?<td data-scope="GROUP">Group</td>`, 's'));
    expect((await log(serve)).slice(before).map((e) => e.method)).to.include('PUT');
    expect(await memberRoles(serve, 'okta')).to.include({ DEV: 'Operator' });
    html = await c.post('convert-assignments', {});
    expect(html).to.match(/class="flash fail"[^>]*data-flash="Convert Assignments"/);
  });
});
