import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import saml2 from 'saml2-js';
import { SignedXml } from 'xml-crypto';
import type { VendorId } from '../../mock-idp/src/profiles/profile.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { ROOT, admin, errorCodeOf, postToAcs, spKeys, startWorld, type World } from '../helpers/world.js';
import { postedResponse, signIn } from './idp-http.js';

const untrusted = {
  privateKeyPem: readFileSync(join(ROOT, 'fixtures/keys/untrusted.key.pem'), 'utf8'),
  certificatePem: readFileSync(join(ROOT, 'fixtures/keys/untrusted.cert.pem'), 'utf8'),
};

function authnRequestXml(world: World, id = '_req' + Date.now()): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${world.tenant.ssoUrl}" ` +
    `AssertionConsumerServiceURL="${world.acsUrl}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${world.entityId}</saml:Issuer></samlp:AuthnRequest>`
  );
}

function signPost(xml: string, keyPem: string): string {
  const sx = new SignedXml({
    privateKey: keyPem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sx.addReference({
    xpath: "/*[local-name(.)='AuthnRequest']",
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sx.computeSignature(xml, {
    location: { reference: "/*[local-name(.)='AuthnRequest']/*[local-name(.)='Issuer']", action: 'after' },
  });
  return sx.getSignedXml();
}

function redirectUrl(world: World, keys: { privateKeyPem: string; certificatePem: string }, sign: boolean) {
  const sp = new saml2.ServiceProvider({
    entity_id: world.entityId,
    assert_endpoint: world.acsUrl,
    private_key: keys.privateKeyPem,
    certificate: keys.certificatePem,
    sign_get_request: sign,
  });
  const idp = new saml2.IdentityProvider({
    sso_login_url: world.tenant.ssoUrl,
    sso_logout_url: world.tenant.sloUrl,
    certificates: [world.tenant.certificatePem],
  });
  return new Promise<string>((resolve, reject) =>
    sp.create_login_request_url(idp, { relay_state: '/w/acme' }, (err, url) =>
      err ? reject(err) : resolve(url),
    ),
  );
}

const postAuthnRequest = (world: World, xml: string) =>
  fetch(world.tenant.ssoUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64') }),
  });

describe('mock-idp signed AuthnRequests', () => {
  let world: World;
  before(async () => {
    world = await startWorld({ vendor: 'okta' });
    const base = world.tenant.setup;
    const tenant = new Tenant(
      {
        ...base,
        app: { ...base.app, wantAuthnRequestsSigned: true, spCertificatePem: spKeys().certificatePem },
      },
      () => world.idp.url,
    );
    world.idp.tenants.set(base.tenant, tenant);
    world = { ...world, tenant };
  });
  after(async () => world.close());

  it('says WantAuthnRequestsSigned="true" in its metadata', async () => {
    const md = await (await fetch(`${world.idp.url}/${world.tenant.name}/metadata`)).text();
    expect(md).to.include('WantAuthnRequestsSigned="true"');
  });

  it('accepts a Redirect-binding request signed by the SP (saml2-js sign_get_request)', async () => {
    const res = await fetch(await redirectUrl(world, spKeys(), true));
    expect(res.status).to.equal(200);
    expect(await res.text()).to.include('name="pending"');
  });

  it('refuses an unsigned one, and one signed with another key (ERR_REQUEST_SIGNATURE)', async () => {
    for (const url of [
      await redirectUrl(world, spKeys(), false),
      await redirectUrl(world, untrusted, true),
    ]) {
      const res = await fetch(url);
      expect(res.status).to.equal(400);
      expect(errorCodeOf(await res.text())).to.equal('ERR_REQUEST_SIGNATURE');
    }
  });

  it('refuses a signed Redirect request whose RelayState was changed', async () => {
    const url = (await redirectUrl(world, spKeys(), true)).replace(
      /RelayState=[^&]*/,
      'RelayState=' + encodeURIComponent('/w/evil'),
    );
    const res = await fetch(url);
    expect(errorCodeOf(await res.text())).to.equal('ERR_REQUEST_SIGNATURE');
  });

  it('accepts a POST-binding request with an enveloped signature, refuses it unsigned or altered', async () => {
    const signed = signPost(authnRequestXml(world), spKeys().privateKeyPem);
    const ok = await postAuthnRequest(world, signed);
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.include('name="pending"');

    const unsigned = await postAuthnRequest(world, authnRequestXml(world));
    expect(errorCodeOf(await unsigned.text())).to.equal('ERR_REQUEST_SIGNATURE');

    const altered = await postAuthnRequest(
      world,
      signed.replace('Version="2.0"', 'Version="2.0" ForceAuthn="true"'),
    );
    expect(errorCodeOf(await altered.text())).to.equal('ERR_REQUEST_SIGNATURE');

    const foreign = await postAuthnRequest(world, signPost(authnRequestXml(world), untrusted.privateKeyPem));
    expect(errorCodeOf(await foreign.text())).to.equal('ERR_REQUEST_SIGNATURE');
  });
});

describe('mock-idp IdP-initiated sign-in, on every profile', () => {
  const passwords: Record<VendorId, string> = {
    okta: 'Okta-Test-1!',
    onelogin: 'OneLogin-Test-1!',
    entra: 'Entra-Test-1!',
    google: 'Google-Test-1!',
  };
  for (const vendor of Object.keys(passwords) as VendorId[]) {
    it(`${vendor}: an unsolicited response (no InResponseTo) with the RelayState signs the user in at the SP`, async () => {
      const world = await startWorld({ vendor });
      try {
        const page = await signIn(
          world.idp.url,
          world.tenant.name,
          `${world.idp.url}/${world.tenant.name}/init?RelayState=${encodeURIComponent('/w/acme')}`,
          'maria.garcia@acme.example',
          passwords[vendor],
        );
        expect(page.status).to.equal(200);
        const { xml, relayState } = postedResponse(page.html);
        expect(relayState).to.equal('/w/acme');
        expect(xml).to.not.include('InResponseTo');
        const res = await postToAcs(world, xml, relayState);
        expect(res.status).to.equal(303);
        expect(res.location).to.equal('/w/acme');
        const members = await admin<{ email: string }[]>(world.sp, 'GET', '/workspaces/acme/members');
        expect(members.body.map((m) => m.email)).to.deep.equal(['maria.garcia@acme.example']);
      } finally {
        await world.close();
      }
    });
  }
});

describe('mock-idp AuthnInstant within an IdP session', () => {
  it('keeps the time of the password sign-in for later responses in the same IdP session (Entra)', async () => {
    const world = await startWorld({ vendor: 'entra' });
    try {
      const init = `${world.idp.url}/${world.tenant.name}/init`;
      const first = await signIn(
        world.idp.url,
        world.tenant.name,
        init,
        'maria.garcia@acme.example',
        'Entra-Test-1!',
      );
      const firstXml = postedResponse(first.html).xml;
      await new Promise((r) => setTimeout(r, 30));
      const again = await fetch(init, { headers: { cookie: first.cookie! } });
      const secondXml = postedResponse(await again.text()).xml;
      const authnInstant = (xml: string) => /AuthnInstant="([^"]+)"/.exec(xml)![1]!;
      const issueInstant = (xml: string) => /<Assertion ID="[^"]+" IssueInstant="([^"]+)"/.exec(xml)![1]!;
      expect(authnInstant(secondXml)).to.equal(authnInstant(firstXml));
      expect(Date.parse(issueInstant(secondXml))).to.be.greaterThan(Date.parse(authnInstant(secondXml)));
    } finally {
      await world.close();
    }
  });
});
