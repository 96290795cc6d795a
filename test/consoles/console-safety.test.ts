import { expect } from 'chai';
import { join } from 'node:path';
import { loadSetupFile, startIdp, type RunningIdp } from '../../mock-idp/src/index.js';
import { ROOT } from '../helpers/world.js';

const HOSTILE = `<img src=x onerror="alert('x')">`;

const VENDORS = ['okta', 'onelogin', 'entra', 'google'];

const codeOf = (html: string) => /data-error-code="([A-Z_]+)"/.exec(html)?.[1];

describe('consoles: behind the admin token, with a session cookie and forms only the session can post, escaping everything', () => {
  let idp: RunningIdp;
  const post = (path: string, form: Record<string, string>, cookie = '') =>
    fetch(`${idp.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(form).toString(),
    });
  const signIn = async () => {
    const r = await post('/console/session', { token: idp.adminToken, next: '/acme-okta/admin' });
    return r.headers.get('set-cookie')!.split(';')[0]!;
  };
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

  before(async () => {
    const setups = VENDORS.map((v) => loadSetupFile(join(ROOT, `fixtures/setups/${v}.yaml`)));
    for (const setup of setups) {
      const u = setup.users[0]!;
      // Every key a console takes a person's name from, and a group.
      u.profile = { ...u.profile, firstName: HOSTILE, givenname: HOSTILE, firstname: HOSTILE };
      u.groups = [HOSTILE];
    }
    setups[0]!.users[0]!.appUser = { ...setups[0]!.users[0]!.appUser, workato_role: HOSTILE };
    idp = await startIdp({ setups });
  });
  after(() => idp?.close());

  it('listens on loopback by default', () => {
    expect(new URL(idp.url).hostname).to.equal('127.0.0.1');
  });

  it('shows no console without a session: a sign-in form asking for the admin token, and nothing of the directory', async () => {
    const r = await fetch(`${idp.url}/acme-okta/admin`, {
      headers: { authorization: `Bearer ${idp.adminToken}` },
    });
    expect(r.status).to.equal(401);
    const html = await r.text();
    expect(html).to.include('action="/console/session"');
    expect(html).not.to.include('maria.garcia');
  });

  it('refuses a wrong admin token and sets no cookie', async () => {
    const r = await post('/console/session', { token: 'not-the-token', next: '/acme-okta/admin' });
    expect(r.status).to.equal(401);
    expect(codeOf(await r.text())).to.equal('ERR_CONSOLE_SIGN_IN');
    expect(r.headers.get('set-cookie')).to.equal(null);
  });

  it('sets an HttpOnly SameSite=Strict cookie for the right token and goes only to a console page of this IdP', async () => {
    const r = await post('/console/session', { token: idp.adminToken, next: '/acme-okta/admin' });
    expect(r.status).to.equal(303);
    expect(r.headers.get('location')).to.equal('/acme-okta/admin');
    expect(r.headers.get('set-cookie')).to.match(/^idp_console=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    for (const next of [
      '//evil.example/x',
      'https://evil.example/',
      '/acme-okta/admin/../../x',
      '/nope/admin',
    ]) {
      const away = await post('/console/session', { token: idp.adminToken, next });
      expect(away.headers.get('location'), next).to.equal('/console');
    }
  });

  it('escapes what it renders: names, app attributes and groups from the directory, in all four consoles', async () => {
    const cookie = await signIn();
    for (const vendor of VENDORS) {
      const html = await (await fetch(`${idp.url}/acme-${vendor}/admin`, { headers: { cookie } })).text();
      expect(html).to.include(`data-console="${vendor}"`);
      expect(html, vendor).not.to.include('<img src=x');
      expect(html, vendor).to.include('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;');
    }
  });

  it("escapes the Okta group assignment's values, its flash and the Convert Assignments list", async () => {
    const cookie = await signIn();
    const page = async () => (await fetch(`${idp.url}/acme-okta/admin`, { headers: { cookie } })).text();
    await post(
      '/acme-okta/admin/assign-group',
      { csrf: csrfOf(await page()), group: HOSTILE, 'role.workato_role': HOSTILE },
      cookie,
    );
    const html = await page();
    expect(html).to.match(/data-flash="Assign group"/);
    expect(html).to.include('Select assignments to convert');
    expect(html).to.match(/name="select" value="[^"]+"/);
    expect(html).not.to.include('<img src=x');
  });

  it('refuses a form without the session’s anti-forgery token, or from no session', async () => {
    const cookie = await signIn();
    const body = { user: 'maria.garcia@acme.example' };
    const none = await post('/acme-okta/admin/deactivate', body, cookie);
    expect(none.status).to.equal(403);
    expect(codeOf(await none.text())).to.equal('ERR_CONSOLE_FORM');
    const other = await signIn();
    const otherCsrf = csrfOf(
      await (await fetch(`${idp.url}/acme-okta/admin`, { headers: { cookie: other } })).text(),
    );
    const foreign = await post('/acme-okta/admin/deactivate', { ...body, csrf: otherCsrf }, cookie);
    expect(foreign.status).to.equal(403);
    const anonymous = await post('/acme-okta/admin/deactivate', { ...body, csrf: otherCsrf });
    expect(anonymous.status).to.equal(401);
    expect(codeOf(await anonymous.text())).to.equal('ERR_CONSOLE_SIGN_IN');
    expect(idp.tenants.get('acme-okta')!.user('maria.garcia@acme.example')!.assigned).not.to.equal(false);
  });

  it('answers an action the vendor’s console does not have, or a user not in the directory, with its code', async () => {
    const cookie = await signIn();
    const page = (t: string) => fetch(`${idp.url}/${t}/admin`, { headers: { cookie } }).then((r) => r.text());
    const csrf = csrfOf(await page('acme-okta'));
    // Okta's console has no Google "Service status" switch, and Google's console no Okta deactivation.
    const wrongVendor = await post(
      '/acme-okta/admin/access-off',
      { csrf, user: 'maria.garcia@acme.example' },
      cookie,
    );
    expect(wrongVendor.status).to.equal(404);
    expect(codeOf(await wrongVendor.text())).to.equal('ERR_CONSOLE_NO_ACTION');
    const noScim = await post(
      '/acme-google/admin/deactivate',
      { csrf, user: 'maria.garcia@acme.example' },
      cookie,
    );
    expect(codeOf(await noScim.text())).to.equal('ERR_CONSOLE_NO_ACTION');
    const ghost = await post('/acme-google/admin/access-off', { csrf, user: 'nobody@acme.example' }, cookie);
    expect(ghost.status).to.equal(404);
    expect(codeOf(await ghost.text())).to.equal('ERR_CONSOLE_NO_USER');
  });

  it('shows an engine refusal in the console instead of failing: an Okta action for a user not in the directory', async () => {
    const cookie = await signIn();
    const csrf = csrfOf(await (await fetch(`${idp.url}/acme-okta/admin`, { headers: { cookie } })).text());
    const r = await post('/acme-okta/admin/deactivate', { csrf, user: 'nobody@acme.example' }, cookie);
    expect(r.status).to.equal(303);
    const html = await (await fetch(`${idp.url}/acme-okta/admin`, { headers: { cookie } })).text();
    expect(html).to.match(/class="flash fail"[^>]*data-flash="Deactivate"/);
    expect(html).to.include('ERR_SCIM_NO_USER');
  });
});
