import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSetupFile, type TenantSetup } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import type { VendorId } from '../../mock-idp/src/profiles/profile.js';
import { ROOT, spKeys } from '../helpers/world.js';
import {
  FEATURE_NAMES,
  compareFeatures,
  extractFeatures,
  type Features,
} from '../../harness/src/import/saml-features.js';

const SAMPLES = join(ROOT, '..', 'shared', 'idp-samples');
const VENDORS: VendorId[] = ['okta', 'onelogin', 'entra', 'google'];

/**
 * The real captures of each vendor, as published. Left out: the pretty-printed copy of a
 * reconstructed Google response, and files xmlsec re-serialised while decrypting them.
 */
function samplesOf(vendor: VendorId): { file: string; features: Features }[] {
  return readdirSync(join(SAMPLES, vendor))
    .filter((f) => f.endsWith('.xml') && !f.includes('.as-published.') && !f.includes('.decrypted.'))
    .map((file) => ({ file, features: extractFeatures(readFileSync(join(SAMPLES, vendor, file), 'utf8')) }));
}

/** The mock's response for the seed-000 Marketing hire, SP-initiated, from the vendor's setup file. */
function mockResponse(
  vendor: VendorId,
  login = 'maria.garcia@acme.example',
  app: Partial<TenantSetup['app']> = {},
): string {
  const base = loadSetupFile(join(ROOT, 'fixtures', 'setups', `${vendor}.yaml`));
  const setup: TenantSetup = { ...base, app: { ...base.app, ...app } };
  const tenant = new Tenant(setup, () => 'http://127.0.0.1:9');
  const user = tenant.user(login);
  if (!user) throw new Error(`no ${login} in ${vendor}.yaml`);
  return tenant.respond(user, 'id-4f1c2e0a9b7d4e6f8a3c5b1d2e4f6a8c0b9d', setup.app.ssoUrl, new Date()).xml;
}

describe('mock-idp fidelity: structural features against real captured responses', function () {
  before(function () {
    if (!existsSync(SAMPLES)) {
      console.log(`      (skipped: ${SAMPLES} is not present; the fidelity tests need the captured samples)`);
      this.skip();
    }
  });

  for (const vendor of VENDORS) {
    describe(vendor, () => {
      it('writes a response whose every feature is one the real responses show', () => {
        const samples = samplesOf(vendor);
        expect(samples.length).to.be.greaterThan(1);
        const mismatches = compareFeatures(
          extractFeatures(mockResponse(vendor)),
          samples.map((s) => s.features),
        );
        expect(mismatches, JSON.stringify(mismatches, null, 2)).to.deep.equal([]);
      });

      it('keeps those features for a user whose role attributes are unset', () => {
        const mismatches = compareFeatures(
          extractFeatures(mockResponse(vendor, 'dev.builder@acme.example')),
          samplesOf(vendor).map((s) => s.features),
        );
        expect(mismatches, JSON.stringify(mismatches, null, 2)).to.deep.equal([]);
      });
    });
  }

  describe('switch variants look like the real responses that show them', () => {
    const variants: [VendorId, string, Partial<TenantSetup['app']>, Partial<Features>][] = [
      [
        'onelogin',
        'Response signed (crewjam-2016)',
        { signing: { response: true, assertion: false } },
        { signedElements: 'Response', idPattern: 'pfx{uuid} A{hex40}' },
      ],
      [
        'google',
        '"Signed response" with a transient NameID (salrashid-2022)',
        {
          signing: { response: true, assertion: false },
          nameId: { source: 'Basic Information.Primary email', format: 'transient' },
        },
        { signedElements: 'Response', nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' },
      ],
      [
        'okta',
        'encrypted Assertion, both signed (crewjam-2020)',
        { encryption: { algorithm: 'aes256-cbc', certificatePem: spKeys().certificatePem } },
        {
          signedElements: 'Response',
          inclusiveNamespaces: 'none',
          encryption:
            'http://www.w3.org/2001/04/xmlenc#aes256-cbc keyInfo=RetrievalMethod key=sibling ' +
            'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p digest=http://www.w3.org/2000/09/xmldsig#sha1 ' +
            'keyCert=X509Data referenceList=yes',
        },
      ],
    ];
    for (const [vendor, what, app, expected] of variants) {
      it(`${vendor}: ${what}`, () => {
        const features = extractFeatures(mockResponse(vendor, 'maria.garcia@acme.example', app));
        expect(features).to.include(expected);
        // An encrypted Assertion hides its own features; the rest must match.
        const visible = FEATURE_NAMES.filter((f) => features[f] !== 'n/a');
        if (app.encryption) expect(visible).to.include.members(['responseChildren', 'signatureAlgorithms']);
        else expect(FEATURE_NAMES.filter((f) => !visible.includes(f))).to.deep.equal(['encryption']);
        const mismatches = compareFeatures(
          features,
          samplesOf(vendor).map((s) => s.features),
          visible,
        );
        expect(mismatches, JSON.stringify(mismatches, null, 2)).to.deep.equal([]);
      });
    }
  });

  it("writes OneLogin's empty AttributeValue for a parameter with no value", () => {
    const f = extractFeatures(mockResponse('onelogin', 'dev.builder@acme.example'));
    expect(f.emptyValueForm).to.equal('empty-value');
  });

  describe('the comparison fails when one feature differs', () => {
    const mutations: [VendorId, string, (xml: string) => string][] = [
      [
        'onelogin',
        'attributeNameFormat',
        (x) => x.replaceAll('attrname-format:basic', 'attrname-format:uri'),
      ],
      ['okta', 'assertionChildren', moveAttributeStatementFirst],
      ['entra', 'prefixes', (x) => x.replaceAll('samlp:', 'saml2p:')],
      ['google', 'valueType', (x) => x.replaceAll('xs:anyType', 'xs:string')],
      [
        'entra',
        'window',
        (x) => x.replace(/(<Conditions NotBefore="[^"]+" NotOnOrAfter=")([^"]+)/, addMinutes),
      ],
      [
        'onelogin',
        'timestampPrecision',
        (x) => x.replace(/IssueInstant="([^"]+)Z"/, 'IssueInstant="$1.123Z"'),
      ],
      ['google', 'keyInfo', (x) => x.replace(/<ds:X509SubjectName>[^<]*<\/ds:X509SubjectName>/, '')],
      ['okta', 'idPattern', (x) => x.replace(/ID="id\d+"/, 'ID="_0123456789abcdef0123456789abcdef"')],
    ];
    for (const [vendor, feature, mutate] of mutations) {
      it(`${vendor}: ${feature}`, () => {
        const original = mockResponse(vendor);
        const changed = mutate(original);
        expect(changed).to.not.equal(original);
        const samples = samplesOf(vendor).map((s) => s.features);
        const mismatches = compareFeatures(extractFeatures(changed), samples);
        expect(mismatches.map((m) => m.feature)).to.include(feature);
      });
    }

    it("another vendor's response does not pass for this one", () => {
      for (const vendor of VENDORS) {
        for (const other of VENDORS.filter((v) => v !== vendor)) {
          const mismatches = compareFeatures(
            extractFeatures(mockResponse(other)),
            samplesOf(vendor).map((s) => s.features),
          );
          expect(mismatches.length, `${other} as ${vendor}`).to.be.greaterThan(3);
        }
      }
    });
  });
});

function moveAttributeStatementFirst(xml: string): string {
  const m = /<saml2:AttributeStatement[\s\S]*<\/saml2:AttributeStatement>/.exec(xml);
  if (!m) return xml;
  const without = xml.replace(m[0], '');
  return without.replace(/<saml2:AuthnStatement /, m[0] + '<saml2:AuthnStatement ');
}

function addMinutes(_all: string, head: string, when: string): string {
  return head + new Date(Date.parse(when) + 30 * 60_000).toISOString();
}
