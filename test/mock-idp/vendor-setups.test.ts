import { expect } from 'chai';
import { join } from 'node:path';
import type { VendorId } from '../../mock-idp/src/profiles/profile.js';
import { loadSetupFile } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { startIdp, type RunningIdp } from '../../mock-idp/src/index.js';
import { ROOT, spKeys } from '../helpers/world.js';

const VENDORS: VendorId[] = ['okta', 'onelogin', 'entra', 'google'];
const LOGINS = ['maria.garcia@acme.example', 'dev.builder@acme.example', 'alex.admin@acme.example'];
const SENT = [
  'workato_email',
  'workato_full_name',
  'workato_role',
  'workato_role_test',
  'workato_role_prod',
  'groups',
];

const tenantFor = (vendor: VendorId) =>
  new Tenant(loadSetupFile(join(ROOT, 'fixtures', 'setups', `${vendor}.yaml`)), () => 'http://127.0.0.1:9');

/** What an SP reads from the attributes: non-empty values only, by name. */
function sent(tenant: Tenant, login: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of tenant.attributesFor(tenant.user(login)!)) {
    const values = a.values.filter((v) => v !== '');
    if (SENT.includes(a.name) && values.length) out[a.name] = values;
  }
  return out;
}

describe('mock-idp tenant setups: the four vendors give every user the same outcome', () => {
  it('has the same users in every setup', () => {
    for (const v of VENDORS) {
      expect(
        tenantFor(v).setup.users.map((u) => u.login),
        v,
      ).to.deep.equal(LOGINS);
    }
  });

  it('sends the seed-000 Marketing hire her email, name, per-environment roles and groups', () => {
    expect(sent(tenantFor('okta'), LOGINS[0]!)).to.deep.equal({
      workato_email: ['maria.garcia@acme.example'],
      workato_full_name: ['Maria Garcia'],
      workato_role: ['mktg_ops'],
      workato_role_test: ['Analyst'],
      workato_role_prod: ['Operator'],
      groups: ['Marketing', 'Everyone'],
    });
  });

  for (const login of LOGINS) {
    it(`sends ${login} the same attribute values from okta, onelogin, entra and google`, () => {
      const okta = sent(tenantFor('okta'), login);
      for (const v of VENDORS) expect(sent(tenantFor(v), login), v).to.deep.equal(okta);
    });
  }

  it('uses the email as NameID in every setup', () => {
    for (const v of VENDORS) {
      const t = tenantFor(v);
      for (const login of LOGINS) {
        const { xml } = t.respond(t.user(login)!, undefined, t.setup.app.ssoUrl, new Date());
        expect(xml, `${v} ${login}`).to.match(
          new RegExp(`<(\\w+:)?NameID [^>]*>${login.replace(/\./g, '\\.')}<`),
        );
      }
    }
  });

  it("writes each vendor's form for the builder's unset roles: omitted, or OneLogin's empty value", () => {
    for (const v of VENDORS) {
      const t = tenantFor(v);
      const { xml } = t.respond(t.user(LOGINS[1]!)!, undefined, t.setup.app.ssoUrl, new Date());
      const roleAttr = /<(?:\w+:)?Attribute [^>]*Name="workato_role"[^>]*>(.*?)<\/(?:\w+:)?Attribute>/.exec(
        xml,
      );
      if (v === 'onelogin') expect(roleAttr?.[1]).to.match(/^<saml:AttributeValue [^>]*\/>$/);
      else expect(roleAttr, v).to.equal(null);
    }
  });

  it("sends Entra's default claim set first, with its claim URIs", () => {
    const t = tenantFor('entra');
    const names = t.attributesFor(t.user(LOGINS[0]!)!).map((a) => a.name);
    expect(names.slice(0, 9)).to.deep.equal([
      'http://schemas.microsoft.com/identity/claims/tenantid',
      'http://schemas.microsoft.com/identity/claims/objectidentifier',
      'http://schemas.microsoft.com/identity/claims/displayname',
      'http://schemas.microsoft.com/identity/claims/identityprovider',
      'http://schemas.microsoft.com/claims/authnmethodsreferences',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    ]);
  });

  it('leaves out parameters OneLogin is told not to include in the assertion', () => {
    const t = tenantFor('onelogin');
    const setup = {
      ...t.setup,
      app: {
        ...t.setup.app,
        attributeStatements: [
          { name: 'kept', value: 'email' },
          { name: 'hidden', value: 'email', includeInAssertion: false },
        ],
      },
    };
    const t2 = new Tenant(setup, () => 'http://127.0.0.1:9');
    expect(t2.attributesFor(t2.user(LOGINS[0]!)!).map((a) => a.name)).to.deep.equal(['kept']);
  });
});

describe('mock-idp tenant setups through the admin API', () => {
  let idp: RunningIdp;
  before(async () => {
    idp = await startIdp();
  });
  after(async () => idp.close());

  const put = (setup: unknown) =>
    fetch(`${idp.url}/api/admin/tenants/acme-x`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(setup),
    });
  const withApp = (vendor: VendorId, app: Record<string, unknown>) => {
    const base = loadSetupFile(join(ROOT, 'fixtures', 'setups', `${vendor}.yaml`));
    return { ...base, tenant: 'acme-x', app: { ...base.app, ...app } };
  };

  it('takes every vendor setup with its switches, and serves metadata with SLO endpoints where the vendor has SLO', async () => {
    for (const vendor of VENDORS) {
      const res = await put(
        withApp(vendor, {
          signing: { response: true, assertion: true, algorithm: 'rsa-sha1' },
          encryption: { algorithm: 'aes256-gcm', certificatePem: spKeys().certificatePem },
          quirks: { httpsOnlyAcs: false, groupOverageLimit: 10 },
        }),
      );
      expect(res.status, vendor).to.equal(200);
      const md = await (await fetch(`${idp.url}/acme-x/metadata`)).text();
      const slo = `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${idp.url}/acme-x/slo"/>`;
      // Google Workspace has no SAML Single Logout.
      if (vendor === 'google') expect(md, vendor).to.include('SingleSignOnService').and.not.include(slo);
      else expect(md, vendor).to.include(slo);
    }
  });

  it('refuses a setup whose expression is not valid in the vendor syntax (ERR_BAD_SETUP), keeping the old tenant', async () => {
    expect((await put(withApp('okta', {}))).status).to.equal(200);
    const bad: [VendorId, string][] = [
      ['okta', 'user.firstName +'],
      ['onelogin', '{nickname}'],
      ['entra', 'Reverse(user.mail)'],
      ['google', 'Basic Information.Nickname'],
    ];
    for (const [vendor, value] of bad) {
      const res = await put(withApp(vendor, { attributeStatements: [{ name: 'x', value }] }));
      expect(res.status, `${vendor} ${value}`).to.equal(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('ERR_BAD_SETUP');
    }
    const kept = await fetch(`${idp.url}/api/admin/tenants/acme-x`, {
      headers: { authorization: `Bearer ${idp.adminToken}` },
    });
    expect(((await kept.json()) as { vendor: string }).vendor).to.equal('okta');
  });

  it('refuses an unknown encryption algorithm through the schema (ERR_BAD_SETUP)', async () => {
    const res = await put(withApp('okta', { encryption: { algorithm: 'aes128-cbc' } }));
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('ERR_BAD_SETUP');
  });
});

describe('mock-idp users known only by their login', () => {
  it("get the login as NameID and email in each vendor's directory fields", () => {
    for (const vendor of VENDORS) {
      const base = tenantFor(vendor).setup;
      const { nameId: _nameId, ...app } = base.app;
      const t = new Tenant(
        { ...base, app, users: [{ login: 'new.hire@acme.example', password: 'x' }] },
        () => 'http://127.0.0.1:9',
      );
      const built = t.respond(t.user('new.hire@acme.example')!, undefined, app.ssoUrl, new Date());
      expect(built.nameId, vendor).to.equal('new.hire@acme.example');
      expect(sent(t, 'new.hire@acme.example').workato_email, vendor).to.deep.equal(['new.hire@acme.example']);
    }
  });
});
