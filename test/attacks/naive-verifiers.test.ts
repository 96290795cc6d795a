import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  armMutation,
  deliverLogoutRequest,
  deliverResponse,
  findMutation,
} from '../../mock-idp/src/attacks/index.js';
import { logoutRequest } from '../../mock-idp/src/saml/logout.js';
import { toWire } from '../../mock-idp/src/xml/element.js';
import { DEFLATE_BOMB_MIB, HUGE_MESSAGE_BYTES } from '../../mock-idp/src/attacks/resource-exhaustion.js';
import { loadSetupFile } from '../../mock-idp/src/index.js';
import type { MetadataKey } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { ROOT, spKeys } from '../helpers/world.js';
import * as naive from './naive-verifiers.js';

const ACS = 'https://sp.example/saml/acme/acs';
const MARIA = 'maria.garcia@acme.example';
const MALLORY = 'mallory.admin@acme.example';
const ACS_LIMIT = 256 * 1024;

function tenantFor(vendor: string, metadataKey?: MetadataKey): Tenant {
  const setup = loadSetupFile(join(ROOT, `fixtures/setups/${vendor}.yaml`));
  return new Tenant(
    {
      ...setup,
      app: {
        ...setup.app,
        ssoUrl: ACS,
        audience: 'https://sp.example/saml/acme/metadata',
        spCertificatePem: spKeys().certificatePem,
        ...(metadataKey ? { metadataKey } : {}),
      },
    },
    () => 'https://idp.example',
  );
}

/** The SAMLResponse form value the tenant delivers with `mutation` armed (or none). */
function delivered(tenant: Tenant, mutation?: string): string {
  if (mutation) armMutation(tenant, mutation);
  return deliverResponse(tenant, tenant.user(MARIA)!, '_req1', ACS, new Date());
}
const xmlOf = (value: string) => Buffer.from(value, 'base64').toString('utf8');

type Verifier = (xml: string, cert: string, spKey: string) => naive.Verdict | Promise<naive.Verdict>;
const role = (v: naive.Verdict) => Object.entries(v.attributes).find(([k]) => /_role$/.test(k))?.[1];

/** Each mutation, the naive verifier its advisory describes, and what that verifier then signs in. */
const PROOFS: { mutation: string; verifier: Verifier; fooled: (v: naive.Verdict) => void }[] = [
  {
    mutation: 'digest-value-in-extensions',
    verifier: naive.firstDigestValueInDocument,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'signature-scope-by-position',
    verifier: naive.scopeByPosition,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'xsw-evil-assertion-before-signed',
    verifier: naive.anySignedAssertionThenFirst,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'assertion-in-advice',
    verifier: naive.anySignedAssertionThenFirst,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'attribute-value-comment',
    verifier: naive.valuesFromUnverifiedDocument,
    fooled: (v) => expect(v.attributes.workato_email).to.equal(MARIA),
  },
  {
    mutation: 'plaintext-beside-encrypted',
    verifier: naive.decryptedVerifiedPlaintextRead,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'donor-signed-metadata',
    verifier: naive.anyValidSignature,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'donor-signed-logout-response',
    verifier: naive.anyValidSignature,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'encrypted-assertion-unsigned',
    verifier: naive.verifyThenDecrypt,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'multiple-signed-info',
    verifier: naive.referencesFromEverySignedInfo,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'digest-value-comment',
    verifier: naive.digestValueFirstChild,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'void-canonicalization',
    verifier: naive.voidCanonicalization,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'doctype-differential',
    verifier: naive.doctypeStrippedReader,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'namespace-prefix-redeclared',
    verifier: naive.localNameReader,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'namespace-default-changed',
    verifier: naive.localNameReader,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'entity-hidden-assertion',
    verifier: naive.entityExpandingReader,
    fooled: (v) => expect(v.nameId).to.equal(MALLORY),
  },
  {
    mutation: 'attribute-outside-signed',
    verifier: naive.attributesFromWholeMessage,
    fooled: (v) => expect(role(v)).to.equal('Admin'),
  },
  {
    mutation: 'attribute-duplicate-name-format',
    verifier: naive.attributesByNameLastWins,
    fooled: (v) => expect(role(v)).to.equal('Admin'),
  },
];

describe('2024-2026 attack catalogue: each mutation fools the naive verifier its advisory describes', () => {
  const cert = (t: Tenant) => t.certificatePem;
  const spKey = spKeys().privateKeyPem;

  it('every proven mutation is in the catalogue and names its advisories', () => {
    for (const p of PROOFS)
      expect(findMutation(`saml.reject.${p.mutation}`), p.mutation).to.not.equal(undefined);
  });

  for (const vendor of ['okta', 'onelogin', 'entra', 'google']) {
    describe(`${vendor} profile`, () => {
      const tenant = tenantFor(vendor);

      for (const p of PROOFS) {
        it(`${p.mutation}: the naive verifier refuses a forged response and accepts the mutation`, async () => {
          for (const forged of ['saml.reject.tampered-nameid', 'saml.reject.unsigned']) {
            let refused: unknown;
            try {
              await p.verifier(xmlOf(delivered(tenant, forged)), cert(tenant), spKey);
            } catch (e) {
              refused = e;
            }
            expect(refused, `${forged} must be refused`).to.be.instanceOf(Error);
          }
          const verdict = await p.verifier(
            xmlOf(delivered(tenant, `saml.reject.${p.mutation}`)),
            cert(tenant),
            spKey,
          );
          p.fooled(verdict);
        });
      }

      it('deflate-bomb: passes a size check made before inflation, then inflates past any bound', () => {
        const value = delivered(tenant, 'saml.reject.deflate-bomb');
        expect(value.length).to.be.below(Math.ceil((ACS_LIMIT * 4) / 3));
        const plain = naive.inflateAfterSizeCheck(delivered(tenant), ACS_LIMIT, 64 * ACS_LIMIT);
        expect(plain.trimStart()).to.match(/^</);
        expect(() => naive.inflateAfterSizeCheck(value, ACS_LIMIT, 64 * ACS_LIMIT))
          .to.throw(RangeError)
          .with.property('code', 'ERR_BUFFER_TOO_LARGE');
        expect(DEFLATE_BOMB_MIB * 1024 * 1024).to.be.above(500 * value.length);
      });

      it('huge-message: a verifier that never looks at the size verifies all of it and signs the user in', () => {
        const value = delivered(tenant, 'saml.reject.huge-message');
        expect(value.length).to.be.above((HUGE_MESSAGE_BYTES * 4) / 3 - 4);
        expect(naive.sizeNeverChecked(value, cert(tenant)).nameId).to.equal(MARIA);
        expect(() =>
          naive.sizeNeverChecked(delivered(tenant, 'saml.reject.unsigned'), cert(tenant)),
        ).to.throw(naive.Refused);
      });

      it('deep-nesting: a recursive walk with no depth bound exhausts the stack; the message fits the size limit', () => {
        const value = delivered(tenant, 'saml.reject.deep-nesting');
        expect(value.length).to.be.below(Math.ceil((ACS_LIMIT * 4) / 3));
        expect(naive.recursiveTextWalk(xmlOf(delivered(tenant)))).to.be.above(0);
        expect(() => naive.recursiveTextWalk(xmlOf(value))).to.throw(RangeError, /call stack/);
      });
    });
  }

  describe('trust that fails open: each SP-side flaw accepts the response under the metadata it needs', () => {
    const TRUST = [
      { mutation: 'trust-no-signing-key', key: 'none', verifier: naive.verifiesOnlyWithACertificate },
      { mutation: 'trust-key-without-use', key: 'no-use', verifier: naive.signingUseOnly },
      { mutation: 'trust-encryption-only-key', key: 'encryption-only', verifier: naive.anyUseVerifies },
      { mutation: 'trust-expired-certificate', key: 'expired', verifier: naive.expiredDropped },
    ] as const;
    for (const vendor of ['okta', 'onelogin', 'entra', 'google']) {
      for (const t of TRUST) {
        it(`${vendor}: ${t.mutation}`, () => {
          const shaped = tenantFor(vendor, t.key);
          const ordinary = tenantFor(vendor);
          // With the metadata an IdP ordinarily publishes, the flawed verifier still checks signatures.
          expect(() =>
            t.verifier(xmlOf(delivered(ordinary, 'saml.reject.unsigned')), ordinary.metadataXml()),
          ).to.throw(naive.Refused);
          expect(t.verifier(xmlOf(delivered(ordinary)), ordinary.metadataXml()).nameId).to.equal(MARIA);
          const verdict = t.verifier(
            xmlOf(delivered(shaped, `saml.reject.${t.mutation}`)),
            shaped.metadataXml(),
          );
          expect(verdict.nameId).to.equal(MARIA);
        });
      }
    }

    it('arming one on a tenant whose metadata lists its key otherwise is refused with ERR_MUTATION_PRECONDITION', () => {
      expect(() => armMutation(tenantFor('okta'), 'saml.reject.trust-key-without-use'))
        .to.throw()
        .with.property('code', 'ERR_MUTATION_PRECONDITION');
    });
  });

  describe("XSW on logout messages: a LogoutRequest wrapped around a signed assertion ends the victim's sessions", () => {
    for (const vendor of ['okta', 'onelogin', 'entra']) {
      it(`${vendor}: logout-request-wrapped`, () => {
        const tenant = tenantFor(vendor);
        tenant.setup.app.sloUrl = 'https://sp.example/saml/acme/slo';
        const plain = toWire(
          logoutRequest({
            issuer: tenant.entityId,
            destination: tenant.setup.app.sloUrl,
            nameId: MARIA,
            nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
            sessionIndex: undefined,
            now: new Date(),
          }),
        );
        expect(() => naive.logoutAnySignature(plain, tenant.certificatePem)).to.throw(naive.Refused);
        armMutation(tenant, 'saml.reject.logout-request-wrapped', { victim: MARIA });
        const hostile = deliverLogoutRequest(tenant, 'dev.builder@acme.example', new Date());
        if (hostile?.binding !== 'post') throw new Error('the wrapped LogoutRequest is posted');
        expect(naive.logoutAnySignature(hostile.xml, tenant.certificatePem)).to.equal(
          tenant.nameIdFor(tenant.user(MARIA)!),
        );
        expect(deliverLogoutRequest(tenant, 'dev.builder@acme.example', new Date())).to.equal(undefined);
      });
    }

    it('cannot be armed without a victim, or for a vendor without Single Logout', () => {
      const okta = tenantFor('okta');
      okta.setup.app.sloUrl = 'https://sp.example/saml/acme/slo';
      expect(() => armMutation(okta, 'saml.reject.logout-request-wrapped'))
        .to.throw()
        .with.property('code', 'ERR_MUTATION_PRECONDITION');
      const google = tenantFor('google');
      google.setup.app.sloUrl = 'https://sp.example/saml/acme/slo';
      expect(() => armMutation(google, 'saml.reject.logout-request-wrapped', { victim: MARIA }))
        .to.throw()
        .with.property('code', 'ERR_MUTATION_PRECONDITION');
    });
  });

  it('the certificate the tenants encrypt for is the reference SP key pair', () => {
    expect(readFileSync(join(ROOT, 'fixtures/keys/sp.cert.pem'), 'utf8')).to.equal(spKeys().certificatePem);
  });
});
