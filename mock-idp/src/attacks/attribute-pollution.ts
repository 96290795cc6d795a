import { NS, all, parseXml, serialize, setText } from './dom.js';
import { ASSERTION_ONLY, asDelivery, editThenSign, targetAttribute } from './helpers.js';
import { inExtensions, sibling } from './placement.js';
import type { Mutation } from './types.js';

/*
 * Attribute pollution: a second Attribute with the name of one the SP maps to a role, so a
 * reader that keys attributes by Name alone, or looks for them anywhere in the message, takes
 * the attacker's value. The family of PortSwigger's "The Fragile Lock" (December 2025).
 */

const POLLUTION_SPEC = [
  'SAML Core 2.7.3.1 (an Attribute is identified by its Name and NameFormat)',
  'SAML Core 2.7.3 (attributes are statements of the signed assertion)',
  "SAML Security Considerations 6.4 (message integrity; the attribute-pollution family of PortSwigger's The Fragile Lock, December 2025)",
];

const URI_FORMAT = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
const BASIC_FORMAT = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

/** A copy of `attribute` whose every value reads Admin. */
function raised(attribute: Element): Element {
  const copy = attribute.cloneNode(true) as Element;
  for (const v of all(copy, NS.SAML, 'AttributeValue')) setText(v, 'Admin');
  return copy;
}

export const ATTRIBUTE_POLLUTION_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.attribute-outside-signed',
    title:
      'The signed assertion untouched, and a second role Attribute with the value Admin in an AttributeStatement in samlp:Extensions, outside anything signed',
    spec: POLLUTION_SPEC,
    conformingSp:
      'Refuses the response: assertion content outside the signed assertion means two readers may disagree; it never looks for attributes beyond the verified assertion.',
    signedAssertionKept: true,
    mutate(ctx) {
      const doc = parseXml(ctx.build(ASSERTION_ONLY));
      const attribute = targetAttribute(doc);
      const statement = sibling(doc, attribute, 'AttributeStatement');
      statement.appendChild(raised(attribute));
      inExtensions(doc, doc.documentElement, statement);
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.attribute-duplicate-name-format',
    title:
      'A signed assertion with two role Attributes of the same Name, the second with another NameFormat and the value Admin',
    spec: POLLUTION_SPEC,
    conformingSp:
      'Refuses the assertion: two attributes with one Name leave the role ambiguous, whatever their NameFormats, so it signs no one in.',
    mutate: (ctx) =>
      editThenSign(ctx, (doc) => {
        const attribute = targetAttribute(doc);
        const copy = raised(attribute);
        copy.setAttribute(
          'NameFormat',
          attribute.getAttribute('NameFormat') === URI_FORMAT ? BASIC_FORMAT : URI_FORMAT,
        );
        attribute.parentNode!.insertBefore(copy, attribute.nextSibling);
      }),
  },
];
