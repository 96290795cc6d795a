import { expect } from 'chai';
import { createPublicKey, verify } from 'node:crypto';
import { admin, spKeys, startWorld, type World } from '../helpers/world.js';

const rawParam = (query: string, name: string) =>
  query
    .split('&')
    .find((p) => p.startsWith(name + '='))
    ?.slice(name.length + 1);

/** Where the SP's sign-in start redirects to (the AuthnRequest over HTTP-Redirect). */
async function loginRedirect(world: World): Promise<string> {
  const res = await fetch(`${world.sp.url}/saml/acme/login`, { redirect: 'manual' });
  expect(res.status).to.equal(302);
  return res.headers.get('location')!;
}

/** SAML Bindings 3.4.4.1: a workspace setting makes the SP sign its AuthnRequests in the query string. */
describe('sp-under-test signed AuthnRequests', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld({ environments: ['DEV'] });
  });
  afterEach(() => world.close());

  it('sends unsigned AuthnRequests unless the workspace is set to sign them', async () => {
    const query = (await loginRedirect(world)).split('?')[1]!;
    expect(rawParam(query, 'SAMLRequest')).to.be.a('string');
    expect(rawParam(query, 'Signature')).to.equal(undefined);
    const s = await admin<{ signAuthnRequests: boolean }>(world.sp, 'GET', '/workspaces/acme/saml');
    expect(s.body.signAuthnRequests).to.equal(false);
  });

  it('signs SAMLRequest, RelayState and SigAlg with the SP key when signAuthnRequests is on, and keeps it on reconfiguration', async () => {
    const put = await admin(world.sp, 'PUT', '/workspaces/acme/saml', {
      metadataXml: world.tenant.metadataXml(),
      signAuthnRequests: true,
    });
    expect(put.status).to.equal(200);
    await admin(world.sp, 'PUT', '/workspaces/acme/saml', { metadataXml: world.tenant.metadataXml() });
    const query = (await loginRedirect(world)).split('?')[1]!;
    const sigAlg = rawParam(query, 'SigAlg');
    const signature = rawParam(query, 'Signature');
    expect(sigAlg).to.be.a('string');
    expect(signature).to.be.a('string');
    const relay = rawParam(query, 'RelayState');
    const signed = `SAMLRequest=${rawParam(query, 'SAMLRequest')}${relay !== undefined ? `&RelayState=${relay}` : ''}&SigAlg=${sigAlg}`;
    const hash = decodeURIComponent(sigAlg!).endsWith('rsa-sha256') ? 'sha256' : 'sha1';
    const ok = verify(
      hash,
      Buffer.from(signed),
      createPublicKey(spKeys().certificatePem),
      Buffer.from(decodeURIComponent(signature!), 'base64'),
    );
    expect(ok).to.equal(true);
  });

  it('refuses a signAuthnRequests that is not a boolean with ERR_BAD_REQUEST', async () => {
    const bad = await admin<{ error: { code: string } }>(world.sp, 'PUT', '/workspaces/acme/saml', {
      metadataXml: world.tenant.metadataXml(),
      signAuthnRequests: 'yes',
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('ERR_BAD_REQUEST');
  });
});
