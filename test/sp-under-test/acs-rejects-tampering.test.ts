import { expect } from 'chai';
import { admin, errorCodeOf, postToAcs, startWorld, type World } from '../helpers/world.js';

describe('sp-under-test ACS: a tampered or hostile Response creates nothing', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  const maria = () => world.tenant.user('maria.garcia@acme.example')!;
  const mint = () => world.tenant.respond(maria(), undefined, world.acsUrl, new Date()).xml;

  async function expectNothingCreated() {
    const members = await admin<unknown[]>(world.sp, 'GET', '/workspaces/acme/members');
    const sessions = await admin<unknown[]>(world.sp, 'GET', '/workspaces/acme/sessions');
    expect(members.body).to.deep.equal([]);
    expect(sessions.body).to.deep.equal([]);
  }

  it('accepts the untouched response (control): one member and one session', async () => {
    const res = await postToAcs(world, mint());
    expect(res.status).to.equal(303);
    expect(res.cookie).to.match(/sp_session=.*HttpOnly; SameSite=Lax/);
    const members = await admin<{ email: string }[]>(world.sp, 'GET', '/workspaces/acme/members');
    expect(members.body.map((m) => m.email)).to.deep.equal(['maria.garcia@acme.example']);
  });

  it('rejects a role attribute changed after signing (ERR_SAML_SIGNATURE_INVALID) and creates no account', async () => {
    const xml = mint().replace('>mktg_ops<', '>Admin<');
    const res = await postToAcs(world, xml);
    expect(res.status).to.equal(403);
    expect(errorCodeOf(res.text)).to.equal('ERR_SAML_SIGNATURE_INVALID');
    await expectNothingCreated();
  });

  it('rejects a NameID changed after signing and creates no account', async () => {
    const xml = mint().replace(
      '>maria.garcia@acme.example</saml2:NameID>',
      '>mallory@evil.example</saml2:NameID>',
    );
    const res = await postToAcs(world, xml);
    expect(res.status).to.equal(403);
    expect(errorCodeOf(res.text)).to.equal('ERR_SAML_SIGNATURE_INVALID');
    await expectNothingCreated();
  });

  it('rejects a document with a DTD (ERR_SAML_DTD_FORBIDDEN)', async () => {
    const xml = mint().replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>',
    );
    const res = await postToAcs(world, xml);
    expect(errorCodeOf(res.text)).to.equal('ERR_SAML_DTD_FORBIDDEN');
    await expectNothingCreated();
  });

  it('rejects a replay of a consumed assertion (ERR_SAML_REPLAY) and keeps one session', async () => {
    const xml = mint();
    expect((await postToAcs(world, xml)).status).to.equal(303);
    const again = await postToAcs(world, xml);
    expect(again.status).to.equal(403);
    expect(errorCodeOf(again.text)).to.equal('ERR_SAML_REPLAY');
    const sessions = await admin<unknown[]>(world.sp, 'GET', '/workspaces/acme/sessions');
    expect(sessions.body).to.have.length(1);
  });

  it('rejects a response that answers no request of this SP (ERR_SAML_IN_RESPONSE_TO)', async () => {
    const xml = world.tenant.respond(maria(), '_never_sent', world.acsUrl, new Date()).xml;
    const res = await postToAcs(world, xml);
    expect(errorCodeOf(res.text)).to.equal('ERR_SAML_IN_RESPONSE_TO');
    await expectNothingCreated();
  });

  it('rejects garbage that is not base64 XML (ERR_SAML_ENCODING)', async () => {
    const res = await fetch(world.acsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=%%%not-base64',
    });
    expect(res.status).to.equal(403);
    expect(errorCodeOf(await res.text())).to.equal('ERR_SAML_ENCODING');
    await expectNothingCreated();
  });

  it('records each rejection in the audit log with its code', async () => {
    await postToAcs(world, mint().replace('>mktg_ops<', '>Admin<'));
    const audit = await admin<{ action: string; details: { code: string } }[]>(
      world.sp,
      'GET',
      '/workspaces/acme/audit',
    );
    expect(audit.body.filter((e) => e.action === 'saml.rejected').map((e) => e.details.code)).to.deep.equal([
      'ERR_SAML_SIGNATURE_INVALID',
    ]);
  });
});
