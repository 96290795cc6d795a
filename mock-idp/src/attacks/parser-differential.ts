import { XMLSerializer } from '@xmldom/xmldom';
import { NS, XML_DECLARATION, assertionOf, parseXml, removeSignatures, serialize, textOf } from './dom.js';
import { asDelivery, makeEvil, plain, signedAssertion, subjectNameId } from './helpers.js';
import type { Mutation, MutationContext } from './types.js';

/*
 * Parser differentials: one document that two XML readers see differently, so the reader that
 * checks the signature and the reader that takes the identity look at different assertions.
 * The vendor's signed response is left byte for byte as issued; the attacker adds only markup
 * that one kind of reader skips and the other does not.
 */

const XMLNS = 'http://www.w3.org/2000/xmlns/';
/** A namespace that is not SAML's, under which a look-alike assertion hides. */
export const LOOKALIKE_NS = 'urn:attacker:not-saml';

const DIFFERENTIAL_SPEC = [
  'SAML Core 1.3 (messages are defined by XML Schema with namespaces, not by a DTD or by prefixes)',
  'SAML Security Considerations 6.5 (XML processing)',
  'SAML Profiles 4.1.4.2 (the SP processes the assertion that is signed, and only that one)',
];

const xmlOf = (node: Node): string => new XMLSerializer().serializeToString(node as never);

/** The vendor's signed response as issued, split after its XML declaration. */
function issued(ctx: MutationContext): { body: string; root: string; assertionTag: string } {
  const xml = ctx.build(plain);
  const body = xml.startsWith(XML_DECLARATION) ? xml.slice(XML_DECLARATION.length) : xml;
  const doc = parseXml(xml);
  return { body, root: doc.documentElement.tagName, assertionTag: assertionOf(doc).tagName };
}

/** A whole evil Response: the vendor's, unsigned, naming the attacker. */
function evilResponse(ctx: MutationContext): string {
  const doc = parseXml(ctx.build(plain));
  const assertion = assertionOf(doc);
  removeSignatures(doc.documentElement);
  doc.documentElement.replaceChild(makeEvil(assertion, textOf(subjectNameId(assertion)), true), assertion);
  return xmlOf(doc.documentElement);
}

/** Copies `node` with every element of the SAML assertion namespace moved into `ns`, named `prefix:local` (or `local`). */
function renamed(doc: Document, node: Element, ns: string, prefix: string): Element {
  const inSaml = node.namespaceURI === NS.SAML;
  const out = inSaml
    ? doc.createElementNS(ns, prefix ? `${prefix}:${node.localName}` : node.localName!)
    : (node.cloneNode(false) as Element);
  if (inSaml) {
    for (let i = 0; i < node.attributes.length; i++) {
      const a = node.attributes.item(i)!;
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      if (a.namespaceURI) out.setAttributeNS(a.namespaceURI, a.name, a.value);
      else out.setAttribute(a.name, a.value);
    }
  }
  for (let c = node.firstChild; c; c = c.nextSibling) {
    out.appendChild(c.nodeType === 1 ? renamed(doc, c as Element, ns, prefix) : c.cloneNode(true));
  }
  return out;
}

/**
 * An evil assertion that looks like SAML's but is in another namespace, placed before the
 * signed one. `prefix` set: it is written `prefix:Assertion`, redeclaring on itself a prefix
 * the Response binds to SAML; empty: it is written `Assertion` under a changed default namespace.
 */
function lookalike(ctx: MutationContext, prefixed: boolean) {
  const { doc, assertion } = signedAssertion(ctx);
  const root = doc.documentElement;
  const prefix = prefixed ? (assertion.prefix ?? 'saml') : '';
  if (prefix) root.setAttributeNS(XMLNS, `xmlns:${prefix}`, NS.SAML);
  const evil = renamed(doc, makeEvil(assertion, textOf(subjectNameId(assertion))), LOOKALIKE_NS, prefix);
  root.insertBefore(evil, assertion);
  return asDelivery(serialize(doc));
}

const NAMESPACE_CONFORMING =
  'Refuses the response: it resolves every element by namespace, never by prefix or local name alone, and a look-alike of a SAML element in another namespace makes the message malformed. Signing the user in from the signed SAML assertion alone, the look-alike ignored, is no exploit either.';
const DTD_CONFORMING =
  'Refuses the document before parsing it further: a SAML message never carries a DTD, so no two readers can disagree about one.';

export const PARSER_DIFFERENTIAL_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.doctype-differential',
    title:
      'The signed response behind a DOCTYPE whose internal subset hides a whole evil Response in a processing instruction after a premature "]>"',
    spec: DIFFERENTIAL_SPEC,
    advisories: ['CVE-2025-25291'],
    conformingSp: DTD_CONFORMING,
    mutate(ctx) {
      const { body, root } = issued(ctx);
      const evil = evilResponse(ctx);
      if (evil.includes('?>')) throw new Error('the evil Response cannot sit in a processing instruction');
      return asDelivery(`${XML_DECLARATION}<!DOCTYPE ${root} [<?hide ]>${evil}?>]>${body}`);
    },
  },
  {
    id: 'saml.reject.namespace-prefix-redeclared',
    title:
      'An evil look-alike assertion before the signed one, written with a prefix the Response binds to SAML but redeclared on it to another namespace',
    spec: DIFFERENTIAL_SPEC,
    advisories: ['CVE-2025-25292', 'CVE-2025-66567'],
    conformingSp: NAMESPACE_CONFORMING,
    signedAssertionKept: true,
    mutate: (ctx) => lookalike(ctx, true),
  },
  {
    id: 'saml.reject.namespace-default-changed',
    title:
      'An evil look-alike assertion before the signed one, unprefixed under a default namespace changed to another one',
    spec: DIFFERENTIAL_SPEC,
    advisories: ['CVE-2025-25292', 'CVE-2025-66567'],
    conformingSp: NAMESPACE_CONFORMING,
    signedAssertionKept: true,
    mutate: (ctx) => lookalike(ctx, false),
  },
  {
    id: 'saml.reject.entity-hidden-assertion',
    title:
      'The signed response with an internal entity that expands to an evil assertion, referenced just before the signed assertion',
    spec: DIFFERENTIAL_SPEC,
    advisories: ['CVE-2025-23369'],
    conformingSp: DTD_CONFORMING,
    mutate(ctx) {
      const { body, root, assertionTag } = issued(ctx);
      const { assertion } = signedAssertion(ctx);
      const evil = xmlOf(makeEvil(assertion, textOf(subjectNameId(assertion))));
      if (/['%]/.test(evil)) throw new Error('the evil assertion cannot sit in an entity value');
      const at = body.indexOf(`<${assertionTag}`);
      return asDelivery(
        `${XML_DECLARATION}<!DOCTYPE ${root} [<!ENTITY assertion '${evil}'>]>` +
          `${body.slice(0, at)}&assertion;${body.slice(at)}`,
      );
    },
  },
];
