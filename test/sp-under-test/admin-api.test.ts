import { expect } from 'chai';
import { ADMIN_ERROR_CODES, type AdminErrorCode } from '../../sp-under-test/src/http/routes/admin/errors.js';
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';
import { admin, spKeys } from '../helpers/world.js';

interface ErrorBody {
  error: { code: AdminErrorCode; message: string };
}

/** The admin API: bodies checked against JSON Schemas, errors from one code table, one member shape. */
describe('sp-under-test admin API: validation, error codes and shapes', () => {
  let sp: RunningSp;
  beforeEach(async () => {
    sp = await startSp({ keyPair: spKeys() });
    await admin(sp, 'POST', '/workspaces', { slug: 'acme', environments: ['DEV', 'PROD'] });
  });
  afterEach(() => sp.close());

  const call = (method: string, path: string, body?: unknown) => admin<ErrorBody>(sp, method, path, body);

  it('refuses a body that breaks its schema with 400 ERR_BAD_REQUEST, and changes nothing', async () => {
    const before = await call('GET', '/workspaces/acme');
    const bad: [string, string, unknown][] = [
      ['POST', '/workspaces', { slug: 'Not A Slug' }],
      ['POST', '/workspaces', { slug: 'b', environments: ['DEV', 'DEV'] }],
      ['POST', '/workspaces', { slug: 'b', environments: [] }],
      ['POST', '/workspaces', ['not', 'an', 'object']],
      ['PUT', '/workspaces/acme/authentication', { environments: { DEV: [] } }],
      ['PUT', '/workspaces/acme/saml', { jit: true }],
      ['PUT', '/workspaces/acme/saml', { entityId: 'x', ssoUrl: 'y', certificates: [] }],
      ['PUT', '/workspaces/acme/saml', { metadataUrl: 'ftp://idp.example/metadata' }],
      ['PUT', '/workspaces/acme/saml', { metadataXml: '<x/>', groupSync: 'yes' }],
      ['POST', '/workspaces/acme/roles', { name: 'Admin' }],
      ['POST', '/workspaces/acme/roles', { name: 'ops', permissions: { deploy: 'edit' } }],
      ['POST', '/workspaces/acme/members', { email: 'dana@acme.example', password: 'short' }],
      ['POST', '/workspaces/acme/members', { email: 'dana@acme.example', groups: 'Finance' }],
      ['POST', '/workspaces/acme/assets', { kind: 'spreadsheet', name: 'x', owner: 'dana@acme.example' }],
      ['POST', '/clock', { advanceMs: '5m' }],
    ];
    for (const [method, path, body] of bad) {
      const r = await call(method, path, body);
      expect([r.status, r.body.error.code], `${method} ${path} ${JSON.stringify(body)}`).to.deep.equal([
        400,
        'ERR_BAD_REQUEST',
      ]);
      expect(r.body.error.message).to.be.a('string').and.not.equal('');
    }
    expect((await call('GET', '/workspaces')).body).to.have.length(1);
    expect((await call('GET', '/workspaces/acme/members')).body).to.deep.equal([]);
    expect((await call('GET', '/workspaces/acme')).body).to.deep.equal(before.body);
  });

  it('answers each error code with the status its table gives', async () => {
    await call('POST', '/workspaces/acme/members', { email: 'dana@acme.example' });
    const cases: [AdminErrorCode, string, string, unknown?][] = [
      ['ERR_BAD_REQUEST', 'POST', '/clock', {}],
      [
        'ERR_UNKNOWN_ROLE',
        'POST',
        '/workspaces/acme/members',
        { email: 'e@acme.example', roles: { DEV: 'admin' } },
      ],
      ['ERR_BAD_METADATA', 'PUT', '/workspaces/acme/saml', { metadataXml: '<x/>' }],
      [
        'ERR_BAD_CERTIFICATE',
        'PUT',
        '/workspaces/acme/saml',
        { entityId: 'x', ssoUrl: 'https://idp.example/sso', certificates: ['AAAA'] },
      ],
      ['ERR_NO_WORKSPACE', 'GET', '/workspaces/nope/members'],
      ['ERR_NO_MEMBER', 'PATCH', '/workspaces/acme/members/nobody@acme.example', { status: 'active' }],
      ['ERR_NO_SCIM_TOKEN', 'DELETE', '/workspaces/acme/scim-tokens/nope'],
      ['ERR_WORKSPACE_EXISTS', 'POST', '/workspaces', { slug: 'acme' }],
      ['ERR_MEMBER_EXISTS', 'POST', '/workspaces/acme/members', { email: 'dana@acme.example' }],
      ['ERR_SAML_NOT_CONFIGURED', 'PUT', '/workspaces/acme/authentication', { enforceSamlFor: 'all' }],
    ];
    const seen = new Set<string>(['ERR_ADMIN_TOKEN']);
    for (const [code, method, path, body] of cases) {
      const r = await call(method, path, body);
      expect([r.status, r.body.error.code], `${method} ${path}`).to.deep.equal([
        ADMIN_ERROR_CODES[code].status,
        code,
      ]);
      seen.add(code);
    }
    expect([...seen].sort()).to.deep.equal(Object.keys(ADMIN_ERROR_CODES).sort());
  });

  it('takes the admin token as a bearer token only, the scheme in any case, for every admin route', async () => {
    const send = (path: string, authorization: string) =>
      fetch(`${sp.url}/api/admin${path}`, { headers: { authorization } });
    for (const path of ['/workspaces', '/workspaces/acme/scim-tokens', '/clock']) {
      for (const authorization of ['', `Basic ${sp.adminToken}`, `Bearer ${sp.adminToken}x`, 'Bearer']) {
        const r = await send(path, authorization);
        expect(r.status, `${path} ${authorization}`).to.equal(401);
        expect(((await r.json()) as ErrorBody).error.code).to.equal('ERR_ADMIN_TOKEN');
      }
      expect((await send(path, `bearer ${sp.adminToken}`)).status, path).to.equal(200);
    }
  });

  it('answers a member in one shape, whether listed, created or changed', async () => {
    const created = await admin<Record<string, unknown>>(sp, 'POST', '/workspaces/acme/members', {
      email: 'dana@acme.example',
      groups: ['Finance'],
    });
    const changed = await admin<Record<string, unknown>>(
      sp,
      'PATCH',
      '/workspaces/acme/members/dana@acme.example',
      {
        roles: { DEV: 'Admin', PROD: 'NoAccess' },
      },
    );
    const listed = await admin<Record<string, unknown>[]>(sp, 'GET', '/workspaces/acme/members');
    const keys = ['authMethod', 'createdAt', 'email', 'groups', 'name', 'roles', 'source', 'status'];
    for (const shape of [created.body, changed.body, listed.body[0]!])
      expect(Object.keys(shape).sort()).to.deep.equal(keys);
    expect(listed.body[0]).to.deep.equal(changed.body);
    expect(created.body.groups).to.deep.equal(['Finance']);
  });
});
