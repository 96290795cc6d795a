import { SignedXml } from 'xml-crypto';
import { ENVELOPED, EXC_C14N, SIGNATURE_ALGORITHMS } from '../xmldsig/algorithms.js';
import { NS, XML_DECLARATION, assertionOf, child, parseXml, serialize, setText } from './dom.js';
import type { ResponseInput } from '../profiles/profile.js';
import { ATTACKER, UNSIGNED, asDelivery, plain } from './helpers.js';
import type { Mutation, MutationContext } from './types.js';

const nameIdEl = (doc: Document) => child(child(assertionOf(doc), NS.SAML, 'Subject'), NS.SAML, 'NameID');

/**
 * The attacker's own, legitimately issued NameID is the victim's address with a suffix the
 * attacker controls; the split puts the victim's address in the first text node. Comments
 * are not signed (exclusive C14N without comments), so a comment keeps the signature valid.
 */
function splitNameId(
  ctx: MutationContext,
  signing: (i: ResponseInput) => ResponseInput,
  insert: (doc: Document) => Node,
): Document {
  const victim = ctx.input.nameId;
  const xml = ctx.build((i) => signing({ ...i, nameId: `${victim}.${ATTACKER}` }));
  const doc = parseXml(xml);
  const el = nameIdEl(doc);
  setText(el, victim);
  el.appendChild(insert(doc));
  el.appendChild(doc.createTextNode(`.${ATTACKER}`));
  return doc;
}

/**
 * Signs the Assertion of a document that carries markup the IdP's own element model cannot
 * hold (a processing instruction, which canonical XML keeps and so must be signed over).
 */
function signAssertionWithXmlCrypto(ctx: MutationContext, xml: string): string {
  const alg = SIGNATURE_ALGORITHMS[ctx.input.signing.algorithm];
  const pem = ctx.input.key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sig = new SignedXml({
    privateKey: pem,
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: alg.signatureUri,
    getKeyInfoContent: () =>
      `<ds:X509Data><ds:X509Certificate>${ctx.input.key.certificateBase64}</ds:X509Certificate></ds:X509Data>`,
  });
  const assertion = "//*[local-name()='Assertion' and namespace-uri()='" + NS.SAML + "']";
  sig.addReference({ xpath: assertion, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: alg.digestUri });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${assertion}/*[local-name()='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

const ENTITY_REJECT =
  'Refuses the document before parsing it further: SAML messages never need a DTD, and the SP parser must not expand entities or fetch external ones.';
const DTD_SPEC = [
  'SAML Security Considerations 6.5 (XML processing: denial of service and external references)',
  'SAML Core 1.3 (messages are defined by XML Schema, not by a DTD)',
];

/** Adds a DOCTYPE with `subset` after the XML declaration and puts `reference` in the NameID. */
function withDoctype(ctx: MutationContext, subset: string, reference: string | undefined): string {
  const doc = parseXml(ctx.build(plain));
  const marker = 'ENTITY-REFERENCE-MARKER';
  if (reference) setText(nameIdEl(doc), marker);
  const body = serialize(doc)
    .slice(XML_DECLARATION.length)
    .replace(marker, reference ?? marker);
  return `${XML_DECLARATION}<!DOCTYPE ${doc.documentElement.tagName} [${subset}]>${body}`;
}

/** Markup inside the message that a careless XML stack reads differently from the signer. */
export const MARKUP_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.nameid-comment',
    title:
      "A validly signed NameID split by an XML comment, so a naive reader sees only the victim's address",
    spec: [
      'SAML Core 2.2.3 (NameID is a string value; comment truncation, the CVE-2017-11427 family)',
      'RFC3741 (Exclusive XML Canonicalization: comments are not part of the signed form)',
    ],
    conformingSp:
      'Refuses the assertion (or reads the whole signed text): it never takes only the first text node of the NameID.',
    wholeSignedTextAllowed: true,
    mutate(ctx) {
      const doc = splitNameId(ctx, plain, (d) => d.createComment(''));
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.nameid-processing-instruction',
    title: 'A validly signed NameID split by a processing instruction',
    spec: [
      'SAML Core 2.2.3 (NameID is a string value)',
      'RFC3741 (Exclusive XML Canonicalization: processing instructions are signed, and still split the text)',
    ],
    conformingSp:
      'Refuses the assertion: a NameID is plain text; markup inside it means the reader and the signer may disagree.',
    mutate(ctx) {
      const doc = splitNameId(ctx, UNSIGNED, (d) => d.createProcessingInstruction('x', 'split'));
      return asDelivery(signAssertionWithXmlCrypto(ctx, serialize(doc)));
    },
  },
  {
    id: 'saml.reject.dtd',
    title: 'A response carrying an internal DTD subset',
    spec: DTD_SPEC,
    conformingSp: ENTITY_REJECT,
    mutate: (ctx) => asDelivery(withDoctype(ctx, '<!ELEMENT Response ANY>', undefined)),
  },
  {
    id: 'saml.reject.entity-expansion',
    title:
      'A response whose NameID is a nested entity that expands to a billion characters ("billion laughs")',
    spec: DTD_SPEC,
    conformingSp: ENTITY_REJECT,
    mutate(ctx) {
      let subset = '<!ENTITY lol0 "lol">';
      for (let i = 1; i <= 9; i++) subset += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
      return asDelivery(withDoctype(ctx, subset, '&lol9;'));
    },
  },
  {
    id: 'saml.reject.xxe',
    title: 'A response whose NameID is an external entity pointing at a local file (XXE)',
    spec: DTD_SPEC,
    conformingSp: ENTITY_REJECT,
    mutate: (ctx) => asDelivery(withDoctype(ctx, '<!ENTITY xxe SYSTEM "file:///etc/passwd">', '&xxe;')),
  },
];
