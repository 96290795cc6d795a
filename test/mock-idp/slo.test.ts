import { expect } from 'chai';
import type { VendorId } from '../../mock-idp/src/profiles/profile.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { admin, spKeys, startWorld, type World } from '../helpers/world.js';
import { BrowserClient } from './browser-client.js';

const PASSWORDS: Record<VendorId, string> = {
  okta: 'Okta-Test-1!',
  onelogin: 'OneLogin-Test-1!',
  entra: 'Entra-Test-1!',
  google: 'Google-Test-1!',
};
const maria = 'maria.garcia@acme.example';

async function sloWorld(vendor: VendorId, sloBinding?: 'post' | 'redirect'): Promise<World> {
  const world = await startWorld({ vendor });
  const base = world.tenant.setup;
  const tenant = new Tenant(
    {
      ...base,
      app: {
        ...base.app,
        sloUrl: `${world.sp.url}/saml/acme/slo`,
        spCertificatePem: spKeys().certificatePem,
        ...(sloBinding ? { sloBinding } : {}),
      },
    },
    () => world.idp.url,
  );
  world.idp.tenants.set(base.tenant, tenant);
  return { ...world, tenant };
}

const liveSessions = async (world: World) =>
  (await admin<{ email: string }[]>(world.sp, 'GET', '/workspaces/acme/sessions')).body;

describe('Single Logout between the mock IdP and the reference SP', () => {
  for (const vendor of ['okta', 'entra'] as VendorId[]) {
    describe(vendor, () => {
      let world: World;
      beforeEach(async () => {
        world = await sloWorld(vendor);
      });
      afterEach(async () => world.close());

      it('SP-initiated: the SP ends its session, the IdP ends its own and answers with a signed LogoutResponse', async () => {
        const browser = new BrowserClient({ login: maria, password: PASSWORDS[vendor] });
        const signedIn = await browser.open(`${world.sp.url}/saml/acme/login`);
        expect(signedIn.url).to.match(/\/w\/acme/);
        expect(await liveSessions(world)).to.have.length(1);
        expect(browser.cookie(world.idp.url, `idp_session_${world.tenant.name.replace(/-/g, '_')}`)).to.be.a(
          'string',
        );

        const out = await browser.open(`${world.sp.url}/saml/acme/logout`);
        expect(out.url).to.equal(`${world.sp.url}/w/acme/signed-out`);
        const idpHop = browser.hops.find((h) =>
          h.url.startsWith(`${world.idp.url}/${world.tenant.name}/slo?`),
        );
        expect(idpHop?.url).to.match(/SAMLRequest=.*&SigAlg=.*&Signature=/);
        const spHop = browser.hops.find((h) => h.url.startsWith(`${world.sp.url}/saml/acme/slo?`));
        expect(spHop?.url).to.match(/SAMLResponse=.*&SigAlg=.*&Signature=/);
        expect(await liveSessions(world)).to.deep.equal([]);

        // The IdP session is gone too: the browser's IdP cookie no longer signs it in.
        const idpCookie = `idp_session_${world.tenant.name.replace(/-/g, '_')}`;
        const again = await fetch(`${world.idp.url}/${world.tenant.name}/init`, {
          headers: { cookie: `${idpCookie}=${browser.cookie(world.idp.url, idpCookie)}` },
        });
        const page = await again.text();
        expect(page).to.include('name="pending"');
        expect(page).to.not.include('SAMLResponse');
      });

      it('IdP-initiated: the IdP sends a signed LogoutRequest naming the user, and the SP ends her sessions', async () => {
        const browser = new BrowserClient({ login: maria, password: PASSWORDS[vendor] });
        await browser.open(`${world.sp.url}/saml/acme/login`);
        expect(await liveSessions(world)).to.have.length(1);
        const done = await browser.open(`${world.idp.url}/${world.tenant.name}/logout`);
        expect(done.html).to.include('data-signed-out="true"');
        expect(await liveSessions(world)).to.deep.equal([]);
        const audit = await admin<{ action: string; details: { by?: string } }[]>(
          world.sp,
          'GET',
          '/workspaces/acme/audit',
        );
        expect(
          audit.body.some((e) => e.action === 'session.ended' && e.details.by === 'idp-logout'),
        ).to.equal(true);
      });
    });
  }

  describe('over the POST binding', () => {
    let world: World;
    before(async () => {
      world = await sloWorld('onelogin', 'post');
    });
    after(async () => world.close());

    it('SP-initiated logout is answered with an enveloped-signed LogoutResponse posted to the SP', async () => {
      const browser = new BrowserClient({ login: maria, password: PASSWORDS.onelogin });
      await browser.open(`${world.sp.url}/saml/acme/login`);
      expect(await liveSessions(world)).to.have.length(1);
      const out = await browser.open(`${world.sp.url}/saml/acme/logout`);
      expect(out.url).to.equal(`${world.sp.url}/w/acme/signed-out`);
      expect(
        browser.hops.some((h) => h.method === 'POST' && h.url === `${world.sp.url}/saml/acme/slo`),
      ).to.equal(true);
      expect(await liveSessions(world)).to.deep.equal([]);
    });

    it('IdP-initiated logout posts an enveloped-signed LogoutRequest the SP verifies and honours', async () => {
      const browser = new BrowserClient({ login: maria, password: PASSWORDS.onelogin });
      await browser.open(`${world.sp.url}/saml/acme/login`);
      expect(await liveSessions(world)).to.have.length(1);
      const done = await browser.open(`${world.idp.url}/${world.tenant.name}/logout`);
      expect(
        browser.hops.some((h) => h.method === 'POST' && h.url === `${world.sp.url}/saml/acme/slo`),
      ).to.equal(true);
      expect(done.html).to.include('data-signed-out="true"');
      expect(await liveSessions(world)).to.deep.equal([]);
    });
  });

  describe('google, which has no SAML Single Logout', () => {
    let world: World;
    before(async () => {
      world = await sloWorld('google');
    });
    after(async () => world.close());

    it('names no SingleLogoutService in its metadata', async () => {
      const xml = await (await fetch(`${world.idp.url}/${world.tenant.name}/metadata`)).text();
      expect(xml).to.include('SingleSignOnService').and.not.include('SingleLogoutService');
    });

    it('refuses an SP-initiated LogoutRequest as malformed (ERR_SLO_UNSUPPORTED)', async () => {
      const browser = new BrowserClient({ login: maria, password: PASSWORDS.google });
      await browser.open(`${world.sp.url}/saml/acme/login`);
      const xml =
        `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
        `ID="_a" Version="2.0" IssueInstant="${new Date().toISOString()}">` +
        `<saml:Issuer>${world.tenant.setup.app.audience}</saml:Issuer><saml:NameID>${maria}</saml:NameID></samlp:LogoutRequest>`;
      const res = await fetch(`${world.idp.url}/${world.tenant.name}/slo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64') }),
      });
      expect(res.status).to.equal(400);
      expect(await res.text()).to.include('data-error-code="ERR_SLO_UNSUPPORTED"');
      expect(await liveSessions(world)).to.have.length(1);
    });

    it('signing out at Google ends only the Google session: no LogoutRequest reaches the SP', async () => {
      const browser = new BrowserClient({ login: maria, password: PASSWORDS.google });
      await browser.open(`${world.sp.url}/saml/acme/login`);
      const sessionsBefore = (await liveSessions(world)).length;
      const done = await browser.open(`${world.idp.url}/${world.tenant.name}/logout`);
      expect(done.html).to.include('data-signed-out="true"');
      expect(browser.hops.some((h) => h.url.startsWith(`${world.sp.url}/saml/acme/slo`))).to.equal(false);
      expect(await liveSessions(world)).to.have.length(sessionsBefore);
    });
  });

  describe('removing a tenant', () => {
    let world: World;
    before(async () => {
      world = await sloWorld('okta');
    });
    after(async () => world.close());

    it('forgets its sessions: a tenant set up again under the same name signs nobody in from an old cookie', async () => {
      const browser = new BrowserClient({ login: maria, password: PASSWORDS.okta });
      await browser.open(`${world.sp.url}/saml/acme/login`);
      const idpCookie = `idp_session_${world.tenant.name.replace(/-/g, '_')}`;
      const cookie = `${idpCookie}=${browser.cookie(world.idp.url, idpCookie)}`;
      const init = () =>
        fetch(`${world.idp.url}/${world.tenant.name}/init`, { headers: { cookie } }).then((r) => r.text());
      expect(await init()).to.include('SAMLResponse');

      const removed = await fetch(`${world.idp.url}/api/admin/tenants/${world.tenant.name}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${world.idp.adminToken}` },
      });
      expect(removed.status).to.equal(204);
      world.idp.tenants.set(world.tenant.name, world.tenant);
      const page = await init();
      expect(page).to.include('name="pending"').and.not.include('SAMLResponse');
    });
  });

  describe('refusals', () => {
    let world: World;
    before(async () => {
      world = await sloWorld('okta');
    });
    after(async () => world.close());

    it('the SP refuses an unsigned LogoutRequest and keeps the session (ERR_SAML_SIGNATURE_INVALID)', async () => {
      const browser = new BrowserClient({ login: maria, password: PASSWORDS.okta });
      await browser.open(`${world.sp.url}/saml/acme/login`);
      const xml =
        `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
        `ID="_forged" Version="2.0" IssueInstant="${new Date().toISOString()}">` +
        `<saml:Issuer>${world.tenant.entityId}</saml:Issuer><saml:NameID>${maria}</saml:NameID></samlp:LogoutRequest>`;
      const res = await fetch(`${world.sp.url}/saml/acme/slo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64') }),
      });
      expect(res.status).to.equal(403);
      expect(await res.text()).to.include('data-error-code="ERR_SAML_SIGNATURE_INVALID"');
      expect(await liveSessions(world)).to.have.length(1);
    });

    it('the IdP refuses a LogoutRequest whose query signature was tampered with (ERR_REQUEST_SIGNATURE)', async () => {
      const browser = new BrowserClient({ login: maria, password: PASSWORDS.okta });
      await browser.open(`${world.sp.url}/saml/acme/login`);
      const res = await fetch(`${world.sp.url}/saml/acme/logout`, {
        redirect: 'manual',
        headers: { cookie: `sp_session=${browser.cookie(world.sp.url, 'sp_session')}` },
      });
      const location = res.headers.get('location')!;
      expect(location).to.match(/Signature=/);
      const tampered = location.replace(/Signature=([^&]{4})/, 'Signature=AAAA');
      const idpRes = await fetch(tampered, { redirect: 'manual' });
      expect(idpRes.status).to.equal(400);
      expect(await idpRes.text()).to.include('data-error-code="ERR_REQUEST_SIGNATURE"');
    });
  });
});
