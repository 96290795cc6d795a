import { expect } from 'chai';
import { admin } from '../helpers/world.js';
import { Browser, errorCode, startSpWorld, type SpWorld } from './sp-world.js';

const PASSWORD = 'Dana-Dev-Passw0rd';

/** Seed 001 per-environment authentication and "Enforce SAML authentication for …". */
describe('sp-under-test sign-in policy', () => {
  let world: SpWorld;
  beforeEach(async () => {
    world = await startSpWorld([{ slug: 'acme', environments: ['DEV', 'TEST', 'PROD'] }]);
    const put = await admin(world.sp, 'PUT', '/workspaces/acme/authentication', {
      environments: { DEV: ['password'], TEST: ['saml'], PROD: ['saml'] },
    });
    expect(put.status).to.equal(200);
    const created = await admin(world.sp, 'POST', '/workspaces/acme/members', {
      email: 'dana.dev@acme.example',
      name: 'Dana Dev',
      roles: { DEV: 'Admin', TEST: 'Analyst', PROD: 'NoAccess' },
      password: PASSWORD,
    });
    expect(created.status).to.equal(201);
  });
  afterEach(() => world.close());

  const signIn = async (b: Browser, email: string, password: string) => {
    const form = await b.request('GET', `/w/acme/sign-in?email=${encodeURIComponent(email)}`);
    if (form.status !== 200) return form;
    return b.request('POST', '/w/acme/sign-in', { username: email, password });
  };

  it('a password member signs in; the cookie is HttpOnly and SameSite; DEV opens, TEST needs SSO, PROD has no role', async () => {
    const b = new Browser(world.sp.url);
    const res = await signIn(b, 'dana.dev@acme.example', PASSWORD);
    expect(res.status).to.equal(303);
    expect(res.setCookies.join('\n')).to.match(/sp_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    expect((await b.request('GET', '/w/acme/env/DEV')).status).to.equal(200);
    const test = await b.request('GET', '/w/acme/env/TEST');
    expect([test.status, errorCode(test.text)]).to.deep.equal([403, 'ERR_ENV_REQUIRES_SSO']);
    const prod = await b.request('GET', '/w/acme/env/PROD');
    expect([prod.status, errorCode(prod.text)]).to.deep.equal([403, 'ERR_ENV_NO_ACCESS']);
    const sessions = await admin<{ email: string; authMethod: string }[]>(
      world.sp,
      'GET',
      '/workspaces/acme/sessions',
    );
    expect(sessions.body).to.deep.include({
      ...sessions.body[0]!,
      email: 'dana.dev@acme.example',
      authMethod: 'password',
    });
  });

  it('an SSO session opens TEST and is refused by the password-only DEV', async () => {
    const b = new Browser(world.sp.url);
    expect((await b.sso(world, 'acme', 'maria.garcia@acme.example')).status).to.equal(303);
    expect((await b.request('GET', '/w/acme/env/TEST')).status).to.equal(200);
    const dev = await b.request('GET', '/w/acme/env/DEV');
    expect([dev.status, errorCode(dev.text)]).to.deep.equal([403, 'ERR_ENV_REQUIRES_PASSWORD']);
  });

  it('a wrong password or an unknown email gets ERR_BAD_CREDENTIALS and no session', async () => {
    const b = new Browser(world.sp.url);
    const wrong = await signIn(b, 'dana.dev@acme.example', 'not-the-password');
    expect([wrong.status, errorCode(wrong.text)]).to.deep.equal([401, 'ERR_BAD_CREDENTIALS']);
    const nobody = await b.request('POST', '/w/acme/sign-in', {
      username: 'nobody@acme.example',
      password: PASSWORD,
    });
    expect([nobody.status, errorCode(nobody.text)]).to.deep.equal([401, 'ERR_BAD_CREDENTIALS']);
    expect((await admin<unknown[]>(world.sp, 'GET', '/workspaces/acme/sessions')).body).to.deep.equal([]);
  });

  it('a JIT member (SSO required) is refused on the password page, even when posting the form directly', async () => {
    const b = new Browser(world.sp.url);
    await b.sso(world, 'acme', 'maria.garcia@acme.example');
    const page = await b.request('GET', '/w/acme/sign-in?email=maria.garcia%40acme.example');
    expect([page.status, errorCode(page.text)]).to.deep.equal([403, 'ERR_SSO_ENFORCED']);
    expect(page.text).to.not.include('name="password"');
    // Even with a password set by an admin, the SSO-required member cannot use it.
    await admin(world.sp, 'PATCH', '/workspaces/acme/members/maria.garcia@acme.example', {
      password: PASSWORD,
    });
    const direct = await b.request('POST', '/w/acme/sign-in', {
      username: 'maria.garcia@acme.example',
      password: PASSWORD,
    });
    expect([direct.status, errorCode(direct.text)]).to.deep.equal([403, 'ERR_SSO_ENFORCED']);
    const sessions = await admin<{ authMethod: string }[]>(world.sp, 'GET', '/workspaces/acme/sessions');
    expect(sessions.body.map((s) => s.authMethod)).to.deep.equal(['saml']);
  });

  it('enforceSamlFor all-except-admins: an Admin may use a password, an Operator may not', async () => {
    await admin(world.sp, 'POST', '/workspaces/acme/members', {
      email: 'olga.operator@acme.example',
      roles: { DEV: 'Operator' },
      password: 'Olga-Operator-Passw0rd',
    });
    const put = await admin<{ enforceSamlFor: string }>(world.sp, 'PUT', '/workspaces/acme/authentication', {
      enforceSamlFor: 'all-except-admins',
    });
    expect(put.body.enforceSamlFor).to.equal('all-except-admins');
    expect((await signIn(new Browser(world.sp.url), 'dana.dev@acme.example', PASSWORD)).status).to.equal(303);
    const olga = await signIn(
      new Browser(world.sp.url),
      'olga.operator@acme.example',
      'Olga-Operator-Passw0rd',
    );
    expect([olga.status, errorCode(olga.text)]).to.deep.equal([403, 'ERR_SSO_ENFORCED']);
    const posted = await new Browser(world.sp.url).request('POST', '/w/acme/sign-in', {
      username: 'olga.operator@acme.example',
      password: 'Olga-Operator-Passw0rd',
    });
    expect([posted.status, errorCode(posted.text)]).to.deep.equal([403, 'ERR_SSO_ENFORCED']);
    await admin(world.sp, 'PUT', '/workspaces/acme/authentication', { enforceSamlFor: 'all' });
    const dana = await signIn(new Browser(world.sp.url), 'dana.dev@acme.example', PASSWORD);
    expect(errorCode(dana.text)).to.equal('ERR_SSO_ENFORCED');
  });

  it('a role change or suspension applies to the very next request of a live session', async () => {
    const b = new Browser(world.sp.url);
    await signIn(b, 'dana.dev@acme.example', PASSWORD);
    expect((await b.request('GET', '/w/acme/env/DEV')).status).to.equal(200);
    await admin(world.sp, 'PATCH', '/workspaces/acme/members/dana.dev@acme.example', {
      roles: { DEV: 'NoAccess' },
    });
    expect(errorCode((await b.request('GET', '/w/acme/env/DEV')).text)).to.equal('ERR_ENV_NO_ACCESS');
    await admin(world.sp, 'PATCH', '/workspaces/acme/members/dana.dev@acme.example', { status: 'suspended' });
    const locked = await b.request('GET', '/w/acme');
    expect(locked.status).to.equal(403);
    expect(locked.text).to.include('data-locked-out');
    expect((await admin<unknown[]>(world.sp, 'GET', '/workspaces/acme/sessions')).body).to.deep.equal([]);
  });
});

describe('sp-under-test admin API: domain validation', () => {
  let world: SpWorld;
  beforeEach(async () => {
    world = await startSpWorld([{ slug: 'acme', environments: ['DEV', 'TEST', 'PROD'] }]);
  });
  afterEach(() => world.close());

  it('refuses unknown roles (case-sensitive), unknown environments and bad sign-in methods with stable codes', async () => {
    const bad = async (method: string, path: string, body: unknown) => {
      const r = await admin<{ error: { code: string } }>(world.sp, method, path, body);
      return [r.status, r.body.error.code];
    };
    expect(
      await bad('POST', '/workspaces/acme/members', { email: 'a@acme.example', roles: { DEV: 'admin' } }),
    ).to.deep.equal([400, 'ERR_UNKNOWN_ROLE']);
    expect(
      await bad('POST', '/workspaces/acme/members', { email: 'a@acme.example', roles: { QA: 'Admin' } }),
    ).to.deep.equal([400, 'ERR_BAD_REQUEST']);
    expect(await bad('POST', '/workspaces/acme/members', { email: 'not-an-email' })).to.deep.equal([
      400,
      'ERR_BAD_REQUEST',
    ]);
    expect(
      await bad('PUT', '/workspaces/acme/authentication', { environments: { DEV: ['magic-link'] } }),
    ).to.deep.equal([400, 'ERR_BAD_REQUEST']);
    expect(await bad('PUT', '/workspaces/acme/authentication', { enforceSamlFor: 'everyone' })).to.deep.equal(
      [400, 'ERR_BAD_REQUEST'],
    );
    expect(
      await bad('POST', '/workspaces/acme/roles', { name: 'ops', permissions: { connections: 'delete' } }),
    ).to.deep.equal([400, 'ERR_BAD_REQUEST']);
    expect(await bad('POST', '/clock', {})).to.deep.equal([400, 'ERR_BAD_REQUEST']);
    expect(await bad('POST', '/clock', { freezeAt: 'yesterday' })).to.deep.equal([400, 'ERR_BAD_REQUEST']);
    expect(await bad('POST', '/clock', { advanceMs: '5m' })).to.deep.equal([400, 'ERR_BAD_REQUEST']);
    const members = await admin<unknown[]>(world.sp, 'GET', '/workspaces/acme/members');
    expect(members.body).to.deep.equal([]);
  });

  it('custom roles keep folder and connection permissions; assets stay with the team after their owner leaves', async () => {
    const role = await admin(world.sp, 'POST', '/workspaces/acme/roles', {
      name: 'fin_ops',
      permissions: { folders: ['Finance'], connections: 'edit', recipes: 'view' },
    });
    expect(role.status).to.equal(201);
    const roles = await admin<{ customRoles: { name: string; permissions: unknown }[] }>(
      world.sp,
      'GET',
      '/workspaces/acme/roles',
    );
    expect(roles.body.customRoles.find((r) => r.name === 'fin_ops')!.permissions).to.deep.equal({
      folders: ['Finance'],
      connections: 'edit',
      recipes: 'view',
    });
    await admin(world.sp, 'POST', '/workspaces/acme/members', {
      email: 'owner@acme.example',
      roles: { DEV: 'fin_ops' },
    });
    const asset = await admin<{ ownerEmail: string; ownerActive: boolean }>(
      world.sp,
      'POST',
      '/workspaces/acme/assets',
      {
        kind: 'recipe',
        name: 'Sync invoices',
        folder: 'Finance',
        owner: 'owner@acme.example',
      },
    );
    expect(asset.status).to.equal(201);
    expect(asset.body).to.include({ ownerEmail: 'owner@acme.example', ownerActive: true });
    await admin(world.sp, 'PATCH', '/workspaces/acme/members/owner@acme.example', { status: 'deactivated' });
    const assets = await admin<{ name: string; ownerActive: boolean }[]>(
      world.sp,
      'GET',
      '/workspaces/acme/assets',
    );
    expect(assets.body.map((a) => [a.name, a.ownerActive])).to.deep.equal([['Sync invoices', false]]);
  });

  it('the members page is for workspace admins only', async () => {
    for (const [email, role] of [
      ['ada.admin@acme.example', 'Admin'],
      ['otto.operator@acme.example', 'Operator'],
    ]) {
      await admin(world.sp, 'POST', '/workspaces/acme/members', {
        email,
        roles: { DEV: role, TEST: 'NoAccess', PROD: 'NoAccess' },
        password: 'Members-Passw0rd',
      });
    }
    const as = async (email: string) => {
      const b = new Browser(world.sp.url);
      await b.request('POST', '/w/acme/sign-in', { username: email, password: 'Members-Passw0rd' });
      return b.request('GET', '/w/acme/members');
    };
    const ada = await as('ada.admin@acme.example');
    expect(ada.status).to.equal(200);
    expect(ada.text).to.include('data-member="otto.operator@acme.example"');
    const otto = await as('otto.operator@acme.example');
    expect([otto.status, errorCode(otto.text)]).to.deep.equal([403, 'ERR_NOT_ADMIN']);
    const nobody = await new Browser(world.sp.url).request('GET', '/w/acme/members');
    expect(nobody.status).to.equal(302);
    expect(nobody.location).to.match(/^\/saml\/acme\/login\?RelayState=/);
  });

  it('the HTML admin view needs the admin token, by form or ?token=, and shows members, audit and SAML settings', async () => {
    const b = new Browser(world.sp.url);
    expect((await b.request('GET', '/admin')).status).to.equal(401);
    const wrong = await b.request('GET', '/admin?token=nope');
    expect(errorCode(wrong.text)).to.equal('ERR_ADMIN_TOKEN');
    const ok = await b.request('GET', `/admin?token=${encodeURIComponent(world.sp.adminToken)}`);
    expect(ok.status).to.equal(303);
    expect(ok.setCookies.join('\n')).to.match(/sp_admin=[^;]+; Path=\/admin; HttpOnly; SameSite=Strict/);
    await b.sso(world, 'acme', 'maria.garcia@acme.example');
    const page = await b.request('GET', '/admin/w/acme');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('data-member="maria.garcia@acme.example"');
    expect(page.text).to.include('member.created');
    expect(page.text).to.include('http://www.okta.com/');
    const form = new Browser(world.sp.url);
    expect((await form.request('POST', '/admin/login', { token: world.sp.adminToken })).status).to.equal(303);
    expect((await form.request('GET', '/admin')).status).to.equal(200);
  });
});
