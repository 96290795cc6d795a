import { expect } from 'chai';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import saml2 from 'saml2-js';
import { SignedXml } from 'xml-crypto';
import { loadKeyPair, signingKeyFromPem } from '../../mock-idp/src/keys.js';
import { okta } from '../../mock-idp/src/profiles/okta.js';
import type { ResponseInput } from '../../mock-idp/src/profiles/profile.js';
import { ROOT } from '../helpers/world.js';

const pair = loadKeyPair(join(ROOT, 'fixtures/keys/okta.key.pem'), join(ROOT, 'fixtures/keys/okta.cert.pem'));
const key = signingKeyFromPem(pair);

const input = (over: Partial<ResponseInput> = {}): ResponseInput => ({
  issuer: 'http://www.okta.com/exk1fcia6d6EMsf9F0h8',
  destination: 'https://sp.example/saml/acme/acs',
  recipient: 'https://sp.example/saml/acme/acs',
  audience: 'https://sp.example/saml/acme/metadata',
  inResponseTo: '_req1',
  nameId: 'maria.garcia@acme.example',
  nameIdFormat: 'unspecified',
  attributes: [
    { name: 'workato_role', values: ['mktg_ops'] },
    { name: 'odd', values: ['a & b < c > "d"\ttab'] },
  ],
  now: new Date(),
  signing: { response: true, assertion: true, algorithm: 'rsa-sha256' },
  key,
  ...over,
});

function signatures(xml: string) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return Array.from(
    doc.getElementsByTagNameNS(
      'http://www.w3.org/2000/09/xmldsig#',
      'Signature',
    ) as unknown as ArrayLike<Node>,
  );
}

function verifyAll(xml: string, certPem: string): boolean[] {
  return signatures(xml).map((sig) => {
    const sx = new SignedXml({ publicCert: certPem });
    sx.loadSignature(sig);
    try {
      return sx.checkSignature(xml);
    } catch {
      return false;
    }
  });
}

describe('mock-idp okta profile: signing by construction', () => {
  it('signs both the Response and the Assertion so that xml-crypto verifies each (RSA-SHA256, exc-c14n)', () => {
    const { xml } = okta.buildResponse(input());
    expect(verifyAll(xml, pair.certificatePem)).to.deep.equal([true, true]);
    expect(xml).to.include(
      '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>',
    );
    expect(xml).to.include('PrefixList="xs"');
  });

  it('verifies with RSA-SHA1 and with only the assertion signed', () => {
    const { xml } = okta.buildResponse(
      input({ signing: { response: false, assertion: true, algorithm: 'rsa-sha1' } }),
    );
    expect(verifyAll(xml, pair.certificatePem)).to.deep.equal([true]);
  });

  it('fails verification once a signed attribute value is changed', () => {
    const { xml } = okta.buildResponse(input());
    const tampered = xml.replace('>mktg_ops<', '>Admin<');
    expect(tampered).to.not.equal(xml);
    expect(verifyAll(tampered, pair.certificatePem)).to.deep.equal([false, false]);
  });

  it('fails verification against another key', () => {
    const other = loadKeyPair(
      join(ROOT, 'fixtures/keys/untrusted.key.pem'),
      join(ROOT, 'fixtures/keys/untrusted.cert.pem'),
    );
    const { xml } = okta.buildResponse(input());
    expect(verifyAll(xml, other.certificatePem)).to.deep.equal([false, false]);
  });

  it('is accepted by saml2-js, which reads the NameID and attributes from it', async () => {
    const { xml } = okta.buildResponse(input());
    const sp = new saml2.ServiceProvider({
      entity_id: 'https://sp.example/saml/acme/metadata',
      assert_endpoint: 'https://sp.example/saml/acme/acs',
      private_key: '',
      certificate: '',
      allow_unencrypted_assertion: true,
    });
    const idp = new saml2.IdentityProvider({
      sso_login_url: 'x',
      sso_logout_url: 'x',
      certificates: [pair.certificatePem],
    });
    const user = await new Promise<{ name_id?: string; attributes?: Record<string, unknown> }>(
      (resolve, reject) =>
        sp.post_assert(
          idp,
          {
            request_body: { SAMLResponse: Buffer.from(xml).toString('base64') },
            allow_unencrypted_assertion: true,
          },
          (err, res) => (err ? reject(err) : resolve(res.user)),
        ),
    );
    expect(user.name_id).to.equal('maria.garcia@acme.example');
    expect(user.attributes?.workato_role).to.deep.equal(['mktg_ops']);
  });

  it("writes Okta's shape: entity-format Issuer, id+26 digit IDs sharing a prefix, ±5 minute window", () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const { xml, responseId, assertionId } = okta.buildResponse(input({ now }));
    expect(responseId).to.match(/^id\d{26}$/);
    expect(assertionId).to.match(/^id\d{26}$/);
    expect(responseId.slice(0, 14)).to.equal(assertionId.slice(0, 14));
    expect(xml).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?><saml2p:Response xmlns:saml2p=/);
    expect(xml).to.include(
      'Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">http://www.okta.com/exk1fcia6d6EMsf9F0h8<',
    );
    expect(xml).to.include('NotBefore="2026-01-02T02:59:05.678Z" NotOnOrAfter="2026-01-02T03:09:05.678Z"');
    expect(xml).to.include('NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"');
    expect(xml).to.include('xsi:type="xs:string">mktg_ops<');
    expect(xml.indexOf('<saml2:AuthnStatement')).to.be.lessThan(xml.indexOf('<saml2:AttributeStatement'));
  });
});
