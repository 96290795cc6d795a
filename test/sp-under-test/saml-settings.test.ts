import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, admin, errorCodeOf, postToAcs, startWorld, type World } from '../helpers/world.js';

const cert = (name: string) => readFileSync(join(ROOT, `fixtures/keys/${name}.cert.pem`), 'utf8');

/** SAML configuration by metadata URL or by entity ID, SSO URL and certificates, with rollover. */
describe('sp-under-test SAML settings', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld({ environments: ['DEV'] });
  });
  afterEach(() => world.close());

  const maria = () => world.tenant.user('maria.garcia@acme.example')!;
  const login = () =>
    postToAcs(world, world.tenant.respond(maria(), undefined, world.acsUrl, new Date()).xml);
  const byCertificates = (certificates: string[]) =>
    admin(world.sp, 'PUT', '/workspaces/acme/saml', {
      entityId: world.tenant.entityId,
      ssoUrl: world.tenant.ssoUrl,
      certificates,
    });

  it('reads the IdP from its metadata URL', async () => {
    await byCertificates([cert('untrusted')]);
    const res = await admin<{ idpEntityId: string }>(world.sp, 'PUT', '/workspaces/acme/saml', {
      metadataUrl: `${world.idp.url}/${world.tenant.name}/metadata`,
    });
    expect(res.status).to.equal(200);
    expect(res.body.idpEntityId).to.equal(world.tenant.entityId);
    expect((await login()).status).to.equal(303);
  });

  it('refuses an unreachable or non-metadata URL with ERR_BAD_METADATA and keeps the old settings', async () => {
    for (const metadataUrl of [`${world.idp.url}/no-such-tenant/metadata`, `${world.sp.url}/`]) {
      const res = await admin<{ error: { code: string } }>(world.sp, 'PUT', '/workspaces/acme/saml', {
        metadataUrl,
      });
      expect(res.status, metadataUrl).to.equal(400);
      expect(res.body.error.code, metadataUrl).to.equal('ERR_BAD_METADATA');
    }
    expect((await login()).status).to.equal(303);
  });

  it('accepts two certificates at once during a rollover, and only trusted ones', async () => {
    expect((await byCertificates([cert('untrusted'), cert('okta')])).status).to.equal(200);
    expect((await login()).status).to.equal(303);
    expect((await byCertificates([cert('okta'), cert('untrusted')])).status).to.equal(200);
    expect((await login()).status).to.equal(303);
    expect((await byCertificates([cert('untrusted')])).status).to.equal(200);
    const refused = await login();
    expect(refused.status).to.equal(403);
    expect(errorCodeOf(refused.text)).to.equal('ERR_SAML_SIGNATURE_INVALID');
  });

  it('takes a KeyDescriptor without use as a signing key, and refuses metadata whose only key is for encryption', async () => {
    const withKey = (use: 'no-use' | 'encryption-only') => {
      world.tenant.setup.app.metadataKey = use;
      return admin<{ error?: { code: string } }>(world.sp, 'PUT', '/workspaces/acme/saml', {
        metadataXml: world.tenant.metadataXml(),
      });
    };
    expect((await withKey('no-use')).status).to.equal(200);
    expect((await login()).status).to.equal(303);
    const refused = await withKey('encryption-only');
    expect(refused.status).to.equal(400);
    expect(refused.body.error?.code).to.equal('ERR_BAD_METADATA');
  });

  it('keeps group syncing and SSO enforcement when SAML is reconfigured without them', async () => {
    await admin(world.sp, 'PUT', '/workspaces/acme/saml', {
      metadataXml: world.tenant.metadataXml(),
      groupSync: true,
      enforceSamlFor: 'all',
    });
    await byCertificates([cert('okta')]);
    const s = await admin<{ groupSync: boolean; enforceSamlFor: string }>(
      world.sp,
      'GET',
      '/workspaces/acme/saml',
    );
    expect(s.body).to.include({ groupSync: true, enforceSamlFor: 'all' });
    const bad = await admin<{ error: { code: string } }>(world.sp, 'PUT', '/workspaces/acme/saml', {
      metadataXml: world.tenant.metadataXml(),
      groupSync: 'yes',
    });
    expect(bad.body.error.code).to.equal('ERR_BAD_REQUEST');
  });
});
