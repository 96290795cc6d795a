import { expect } from 'chai';
import { join } from 'node:path';
import { startIdp, type RunningIdp } from '../../mock-idp/src/index.js';
import { loadSetupFile, type TenantSetup } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { ENTRA_CLAIMS } from '../../mock-idp/src/profiles/entra.js';
import { ROOT, errorCodeOf, postToAcs, startWorld, type World } from '../helpers/world.js';
import { postedResponse, signIn } from './idp-http.js';

const setupOf = (vendor: string): TenantSetup =>
  loadSetupFile(join(ROOT, 'fixtures', 'setups', `${vendor}.yaml`));
const maria = 'maria.garcia@acme.example';

describe('mock-idp vendor quirks', () => {
  describe('OneLogin: Audience and Recipient left blank', () => {
    let world: World;
    before(async () => {
      world = await startWorld({ vendor: 'onelogin' });
    });
    after(async () => world.close());

    it('sends the literal {audience} and {recipient}, which the reference SP refuses (ERR_SAML_AUDIENCE)', async () => {
      const base = world.tenant.setup;
      const t = new Tenant(
        { ...base, app: { ...base.app, audience: '', recipient: '' } },
        () => world.idp.url,
      );
      const { xml } = t.respond(t.user(maria)!, undefined, world.acsUrl, new Date());
      expect(xml).to.include('<saml:Audience>{audience}</saml:Audience>');
      expect(xml).to.include('Recipient="{recipient}"');
      const res = await postToAcs(world, xml);
      expect(res.status).to.equal(403);
      expect(errorCodeOf(res.text)).to.equal('ERR_SAML_AUDIENCE');
    });
  });

  describe('Entra', () => {
    const entra = (over: Partial<TenantSetup['app']> = {}, groups?: string[]) => {
      const base = setupOf('entra');
      const users = base.users.map((u) => (groups && u.login === maria ? { ...u, groups } : u));
      return new Tenant({ ...base, app: { ...base.app, ...over }, users }, () => 'http://127.0.0.1:9');
    };

    it('sends an identifier that is not a URI as an spn: audience, and a URI as it is', () => {
      const t = entra({ audience: '5a1c0e2f-8b7d-4c3e-9f6a-1b2c3d4e5f60' });
      const { xml } = t.respond(t.user(maria)!, undefined, 'https://sp.example/acs', new Date());
      expect(xml).to.include('<Audience>spn:5a1c0e2f-8b7d-4c3e-9f6a-1b2c3d4e5f60</Audience>');
      const u = entra({ audience: 'urn:acme:workato' });
      expect(u.respond(u.user(maria)!, undefined, 'https://sp.example/acs', new Date()).xml).to.include(
        '<Audience>urn:acme:workato</Audience>',
      );
    });

    const many = (n: number) => Array.from({ length: n }, (_, i) => `group-${String(i).padStart(3, '0')}`);

    it('sends 150 groups in the groups claim', () => {
      const t = entra({}, many(150));
      const attrs = t.attributesFor(t.user(maria)!);
      expect(attrs.find((a) => a.name === 'groups')?.values).to.have.length(150);
      expect(attrs.find((a) => a.name === ENTRA_CLAIMS.groupsLink)).to.equal(undefined);
    });

    it('replaces the groups claim by the groups.link overage claim above 150 groups', () => {
      const t = entra({}, many(151));
      const attrs = t.attributesFor(t.user(maria)!);
      expect(attrs.find((a) => a.name === 'groups')).to.equal(undefined);
      const link = attrs.find((a) => a.name === ENTRA_CLAIMS.groupsLink);
      expect(link?.values[0]).to.match(
        /^https:\/\/graph\.windows\.net\/9c1e7a52-3f0b-4d8e-a6c4-2b7f51d09e83\/users\/3d6f2b9e-51a4-4c07-9e8d-0f2a6b7c1d45\/getMemberObjects$/,
      );
      const { xml } = t.respond(t.user(maria)!, undefined, 'https://sp.example/acs', new Date());
      expect(xml).to.include(`<Attribute Name="${ENTRA_CLAIMS.groupsLink}">`);
    });

    it('applies a setup-chosen overage limit', () => {
      const t = entra({ quirks: { groupOverageLimit: 1 } });
      expect(t.attributesFor(t.user(maria)!).map((a) => a.name)).to.include(ENTRA_CLAIMS.groupsLink);
    });
  });

  describe('Google: https-only ACS', () => {
    let idp: RunningIdp;
    before(async () => {
      idp = await startIdp();
    });
    after(async () => idp.close());

    const put = (tenant: string, ssoUrl: string, quirks?: { httpsOnlyAcs: boolean }) => {
      const base = setupOf('google');
      const { quirks: _dropped, ...app } = base.app;
      const setup: TenantSetup = { ...base, tenant, app: { ...app, ssoUrl, ...(quirks ? { quirks } : {}) } };
      idp.tenants.set(tenant, new Tenant(setup, () => idp.url));
    };

    it("shows Google's app_not_configured_for_user error page for an http ACS by default", async () => {
      put('g-http', 'http://sp.example/saml/acme/acs');
      const page = await signIn(idp.url, 'g-http', `${idp.url}/g-http/init`, maria, 'Google-Test-1!');
      expect(page.status).to.equal(403);
      expect(errorCodeOf(page.html)).to.equal('ERR_APP_NOT_CONFIGURED_FOR_USER');
      expect(page.html).to.include('app_not_configured_for_user');
      expect(page.html).to.not.include('SAMLResponse');
    });

    it('answers an https ACS, and an http one when the quirk is switched off', async () => {
      put('g-https', 'https://sp.example/saml/acme/acs');
      const ok = await signIn(idp.url, 'g-https', `${idp.url}/g-https/init`, maria, 'Google-Test-1!');
      expect(ok.status).to.equal(200);
      expect(postedResponse(ok.html).xml).to.include('<saml2:Audience>');
      put('g-off', 'http://sp.example/saml/acme/acs', { httpsOnlyAcs: false });
      const off = await signIn(idp.url, 'g-off', `${idp.url}/g-off/init`, maria, 'Google-Test-1!');
      expect(off.status).to.equal(200);
    });
  });
});
