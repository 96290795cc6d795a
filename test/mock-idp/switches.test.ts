import { expect } from 'chai';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';
import type { DataEncryption } from '../../mock-idp/src/encryption/encrypt-assertion.js';
import type { NameIdFormat, SigningChoice, VendorId } from '../../mock-idp/src/profiles/profile.js';
import type { TenantSetup } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { admin, errorCodeOf, postToAcs, spKeys, startWorld, type World } from '../helpers/world.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const VENDORS: VendorId[] = ['okta', 'onelogin', 'entra', 'google'];
const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');

/** The second, independent verifier: xml-crypto on each Signature, with the IdP certificate only. */
function xmlCryptoVerifiesEach(xml: string, certPem: string): { on: string; ok: boolean }[] {
  const sigs = Array.from(
    parse(xml).getElementsByTagNameNS(DS, 'Signature') as unknown as ArrayLike<Element>,
  );
  return sigs.map((sig) => {
    const sx = new SignedXml({ publicCert: certPem });
    sx.loadSignature(sig as unknown as Node);
    let ok = false;
    try {
      ok = sx.checkSignature(xml);
    } catch {
      ok = false;
    }
    return { on: (sig.parentNode as Element).localName ?? '', ok };
  });
}

function decrypt(xml: string): Promise<string> {
  const enc = parse(xml).getElementsByTagNameNS(SAML, 'EncryptedAssertion')[0];
  if (!enc) throw new Error('no EncryptedAssertion');
  return new Promise((resolve, reject) =>
    xmlenc.decrypt(enc.toString(), { key: spKeys().privateKeyPem }, (err, out) =>
      err ? reject(err) : resolve(out),
    ),
  );
}

interface Switches {
  signing?: Partial<SigningChoice>;
  nameIdFormat?: NameIdFormat;
  encryption?: DataEncryption;
}

function mint(world: World, sw: Switches, login = 'maria.garcia@acme.example'): string {
  const base = world.tenant.setup;
  const app: TenantSetup['app'] = {
    ...base.app,
    ...(sw.signing ? { signing: sw.signing } : {}),
    ...(sw.nameIdFormat ? { nameId: { ...base.app.nameId, format: sw.nameIdFormat } } : {}),
    ...(sw.encryption
      ? { encryption: { algorithm: sw.encryption, certificatePem: spKeys().certificatePem } }
      : {}),
  };
  const tenant = new Tenant({ ...base, app }, () => world.idp.url);
  return tenant.respond(tenant.user(login)!, undefined, world.acsUrl, new Date()).xml;
}

const SIGNING: Partial<SigningChoice>[] = [
  { response: true, assertion: false, algorithm: 'rsa-sha256' },
  { response: false, assertion: true, algorithm: 'rsa-sha256' },
  { response: true, assertion: true, algorithm: 'rsa-sha256' },
  { response: true, assertion: false, algorithm: 'rsa-sha1' },
  { response: false, assertion: true, algorithm: 'rsa-sha1' },
  { response: true, assertion: true, algorithm: 'rsa-sha1' },
];
const label = (s: Partial<SigningChoice>) =>
  `${[s.response ? 'Response' : '', s.assertion ? 'Assertion' : ''].filter(Boolean).join('+')} ${s.algorithm}`;

describe('mock-idp switches: every profile × switch is accepted by the reference SP and verified by xml-crypto', function () {
  for (const vendor of VENDORS) {
    describe(vendor, () => {
      let world: World;
      before(async () => {
        world = await startWorld({ vendor });
      });
      after(async () => world.close());

      const accepted = async (xml: string) => {
        const res = await postToAcs(world, xml);
        expect(res.status, errorCodeOf(res.text) ?? res.text.slice(0, 300)).to.equal(303);
      };

      for (const s of SIGNING) {
        it(`signs ${label(s)}`, async () => {
          const xml = mint(world, { signing: s });
          const checks = xmlCryptoVerifiesEach(xml, world.tenant.certificatePem);
          const want = [s.response ? 'Response' : '', s.assertion ? 'Assertion' : ''].filter(Boolean);
          expect(checks.map((c) => c.on).sort()).to.deep.equal([...want].sort());
          expect(checks.every((c) => c.ok)).to.equal(true);
          await accepted(xml);
        });
      }

      for (const f of ['unspecified', 'emailAddress', 'persistent', 'transient'] as NameIdFormat[]) {
        it(`writes NameID format ${f}`, async () => {
          const xml = mint(world, { nameIdFormat: f });
          expect(parse(xml).getElementsByTagNameNS(SAML, 'NameID')[0]?.getAttribute('Format')).to.match(
            new RegExp(`nameid-format:${f}$`),
          );
          await accepted(xml);
        });
      }

      for (const enc of ['aes256-cbc', 'aes256-gcm'] as DataEncryption[]) {
        for (const responseSigned of [false, true]) {
          it(`encrypts the signed Assertion with ${enc} and RSA-OAEP${responseSigned ? ', Response signed too' : ''}`, async () => {
            const xml = mint(world, {
              encryption: enc,
              signing: { response: responseSigned, assertion: true, algorithm: 'rsa-sha256' },
            });
            expect(parse(xml).getElementsByTagNameNS(SAML, 'Assertion').length).to.equal(0);
            expect(xml).to.include('RetrievalMethod');
            const outer = xmlCryptoVerifiesEach(xml, world.tenant.certificatePem);
            expect(outer.every((c) => c.ok) && outer.length === (responseSigned ? 1 : 0)).to.equal(true);
            const assertion = await decrypt(xml);
            const inner = xmlCryptoVerifiesEach(assertion, world.tenant.certificatePem);
            expect(inner).to.deep.equal([{ on: 'Assertion', ok: true }]);
            await accepted(xml);
          });
        }
      }

      it('the SP created exactly one member for all of these sign-ins', async () => {
        const members = await admin<{ email: string }[]>(world.sp, 'GET', '/workspaces/acme/members');
        expect(members.body.map((m) => m.email)).to.deep.equal(['maria.garcia@acme.example']);
      });
    });
  }
});
