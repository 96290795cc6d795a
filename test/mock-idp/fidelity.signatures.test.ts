import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';
import { verifyAssertion } from '../../sp-under-test/src/saml/verified-assertion.js';
import { ROOT } from '../helpers/world.js';

const SAMPLES = join(ROOT, '..', 'shared', 'idp-samples');
const DS = 'http://www.w3.org/2000/09/xmldsig#';

interface Sample {
  file: string;
  /** Which signatures the samples' README says verify. */
  verifies: ('Response' | 'Assertion')[];
  /** The IssueInstant the README says to freeze the clock at. */
  frozenAt: string;
  /** SP key to decrypt an EncryptedAssertion with, when there is one. */
  spKey?: string;
}

const TABLE: Sample[] = [
  {
    file: 'okta/gosaml2-2016-signed-both.xml',
    verifies: ['Response', 'Assertion'],
    frozenAt: '2016-07-25T23:20:14.859Z',
  },
  {
    file: 'okta/gosaml2-2017-encrypted-multivalue.xml',
    verifies: ['Response'],
    frozenAt: '2017-09-06T22:13:10.144Z',
    spKey: 'okta/gosaml2-2017-encrypted-multivalue.sp-key.pem',
  },
  {
    file: 'okta/crewjam-2020-encrypted-signed-both.xml',
    verifies: ['Response'],
    frozenAt: '2020-03-03T19:40:54.699Z',
    spKey: 'okta/crewjam-2020-encrypted-signed-both.sp-key.pem',
  },
  {
    file: 'onelogin/crewjam-2016-signed-response.xml',
    verifies: ['Response'],
    frozenAt: '2016-01-05T17:53:11Z',
  },
  {
    file: 'onelogin/gosaml2-2017-signed-assertion.xml',
    verifies: ['Assertion'],
    frozenAt: '2017-03-08T07:53:39Z',
  },
  {
    file: 'entra/phpsaml-2023-signed-assertion.xml',
    verifies: ['Assertion'],
    frozenAt: '2023-06-20T15:54:44.444Z',
  },
  {
    file: 'entra/tercen-2022-signed-assertion.xml',
    verifies: ['Assertion'],
    frozenAt: '2022-02-23T17:49:18.872Z',
  },
  {
    file: 'google/fleet-2017-signed-assertion.xml',
    verifies: ['Assertion'],
    frozenAt: '2017-07-18T14:47:08.035Z',
  },
  {
    file: 'google/salrashid-2022-signed-response.xml',
    verifies: ['Response'],
    frozenAt: '2022-04-28T17:47:31.672Z',
  },
];

const read = (f: string) => readFileSync(join(SAMPLES, f), 'utf8');
const certOf = (f: string) => read(f.replace(/\.xml$/, '.cert.pem'));
const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');

/** Each Signature that is a child of the Response or of an Assertion, by what it signs. */
function signaturesOf(xml: string): { on: 'Response' | 'Assertion'; node: Element }[] {
  const doc = parse(xml);
  const out: { on: 'Response' | 'Assertion'; node: Element }[] = [];
  const sigs = Array.from(doc.getElementsByTagNameNS(DS, 'Signature') as unknown as ArrayLike<Element>);
  for (const s of sigs) {
    const parent = s.parentNode as Element;
    if (parent.localName === 'Response' || parent.localName === 'Assertion')
      out.push({ on: parent.localName, node: s });
  }
  return out;
}

function xmlCryptoVerifies(xml: string, sig: Element, certPem: string): boolean {
  const sx = new SignedXml({ publicCert: certPem });
  sx.loadSignature(sig as unknown as Node);
  try {
    return sx.checkSignature(xml);
  } catch {
    return false;
  }
}

function decryptAssertion(xml: string, keyPem: string): Promise<string> {
  const doc = parse(xml);
  const enc = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'EncryptedAssertion')[0];
  if (!enc) throw new Error('no EncryptedAssertion');
  return new Promise((resolve, reject) =>
    xmlenc.decrypt(enc.toString(), { key: keyPem }, (err: Error | null, out: string) =>
      err ? reject(err) : resolve(out),
    ),
  );
}

describe('mock-idp fidelity: the real samples verify with the same verifiers the mock is checked by', function () {
  before(function () {
    if (!existsSync(SAMPLES)) {
      console.log(`      (skipped: ${SAMPLES} is not present; the fidelity tests need the captured samples)`);
      this.skip();
    }
  });

  for (const s of TABLE) {
    describe(s.file, () => {
      it(`verifies the ${s.verifies.join(' and ')} signature with xml-crypto and the IdP certificate`, () => {
        const xml = read(s.file);
        const sigs = signaturesOf(xml);
        expect(sigs.map((x) => x.on)).to.include.members(s.verifies);
        for (const sig of sigs.filter((x) => s.verifies.includes(x.on))) {
          expect(xmlCryptoVerifies(xml, sig.node, certOf(s.file)), sig.on).to.equal(true);
        }
      });

      it("fails with another vendor's certificate (negative control)", () => {
        const xml = read(s.file);
        const other = s.file.startsWith('google/')
          ? 'entra/tercen-2022-signed-assertion.cert.pem'
          : 'google/fleet-2017-signed-assertion.cert.pem';
        for (const sig of signaturesOf(xml))
          expect(xmlCryptoVerifies(xml, sig.node, read(other))).to.equal(false);
      });

      it('is inside its validity window at the frozen clock, and the reference SP verifier accepts it', async () => {
        const xml = read(s.file);
        const frozen = Date.parse(s.frozenAt);
        const assertionXml = s.spKey ? await decryptAssertion(xml, read(s.spKey)) : xml;
        const conditions = parse(assertionXml).getElementsByTagNameNS(
          'urn:oasis:names:tc:SAML:2.0:assertion',
          'Conditions',
        )[0];
        expect(conditions, 'Conditions').to.not.equal(undefined);
        expect(Date.parse(conditions!.getAttribute('NotBefore')!)).to.be.at.most(frozen);
        expect(Date.parse(conditions!.getAttribute('NotOnOrAfter')!)).to.be.greaterThan(frozen);
        if (s.spKey) {
          // The assertion inside the encryption carries its own signature.
          const inner = signaturesOf(assertionXml).find((x) => x.on === 'Assertion');
          expect(inner, 'signature inside the EncryptedAssertion').to.not.equal(undefined);
          expect(xmlCryptoVerifies(assertionXml, inner!.node, certOf(s.file))).to.equal(true);
        } else {
          const v = verifyAssertion(xml, parse(xml), [certOf(s.file)], { allowSha1: true });
          expect(v.assertion.localName).to.equal('Assertion');
        }
      });
    });
  }

  it('does not verify the pretty-printed as-published Google copy (its digest no longer matches)', () => {
    const file = 'google/salrashid-2022-signed-response.as-published.xml';
    const xml = read(file);
    const cert = read('google/salrashid-2022-signed-response.cert.pem');
    for (const sig of signaturesOf(xml)) expect(xmlCryptoVerifies(xml, sig.node, cert)).to.equal(false);
  });
});
