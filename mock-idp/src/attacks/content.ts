import { NS, all, assertionOf, child, parseXml, serialize, setText, textOf } from './dom.js';
import {
  asDelivery,
  editThenSign,
  evilNameId,
  freshId,
  plain,
  signedAs,
  targetAttribute,
} from './helpers.js';
import type { Mutation } from './types.js';

const nameIdOf = (assertion: Element) => child(child(assertion, NS.SAML, 'Subject'), NS.SAML, 'NameID');

/** What the assertion says, changed: status, values, the number of assertions, the algorithm. */
export const CONTENT_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.status-not-success',
    title: 'A validly signed response whose top-level StatusCode is Responder, still carrying an assertion',
    spec: ['SAML Core 3.2.2.2 (StatusCode)', 'SAML Profiles 4.1.4.2'],
    conformingSp: 'Refuses the response: only a top-level Success status may sign anyone in.',
    mutate: (ctx) =>
      editThenSign(ctx, (doc) => {
        const status = child(doc.documentElement, NS.SAMLP, 'Status');
        child(status, NS.SAMLP, 'StatusCode').setAttribute(
          'Value',
          'urn:oasis:names:tc:SAML:2.0:status:Responder',
        );
      }),
  },
  {
    id: 'saml.reject.tampered-attribute',
    title: 'A signed response whose role attribute was raised to Admin after signing',
    spec: ['SAML Core 5.4 (signature processing)', 'RFC3275 3.2.1 (XML-DSig reference validation)'],
    conformingSp: 'Refuses the response: the digest no longer matches, so nothing in it can be trusted.',
    mutate(ctx) {
      const doc = parseXml(ctx.build(plain));
      for (const v of all(targetAttribute(doc), NS.SAML, 'AttributeValue')) setText(v, 'Admin');
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.tampered-nameid',
    title: "A signed response whose NameID was changed to another user's after signing",
    spec: ['SAML Core 5.4 (signature processing)', 'RFC3275 3.2.1 (XML-DSig reference validation)'],
    conformingSp: 'Refuses the response: the digest no longer matches.',
    mutate(ctx) {
      const doc = parseXml(ctx.build(plain));
      const el = nameIdOf(assertionOf(doc));
      setText(el, evilNameId(textOf(el)));
      return asDelivery(serialize(doc));
    },
  },
  {
    id: 'saml.reject.two-assertions',
    title: 'Two validly signed assertions in one response, the second for another subject',
    spec: [
      'SAML Profiles 4.1.4.2 (the assertions of a response must be processed as a whole)',
      'SAML Security Considerations 6.4 (ambiguous messages)',
    ],
    conformingSp:
      'Refuses the response: with more than one assertion it cannot tell which subject to sign in, so it signs in none.',
    mutate: (ctx) =>
      editThenSign(ctx, (doc) => {
        const first = assertionOf(doc);
        const second = first.cloneNode(true) as Element;
        second.setAttribute('ID', freshId());
        const el = nameIdOf(second);
        setText(el, evilNameId(textOf(el)));
        doc.documentElement.insertBefore(second, first.nextSibling);
      }),
  },
  {
    id: 'saml.reject.weak-algorithm-sha1',
    title: 'A response signed with RSA-SHA1 and SHA-1 digests, sent to an SP whose policy refuses SHA-1',
    spec: [
      'SAML Metadata Profile for Algorithm Support 2.4 (the SP states which algorithms it accepts)',
      'RFC6194 (SHA-1 security considerations)',
    ],
    conformingSp: 'Refuses the signature when its policy does not accept SHA-1, whatever the key.',
    needs: { sha1Refused: true },
    mutate: (ctx) => asDelivery(ctx.build(signedAs({ algorithm: 'rsa-sha1' }))),
  },
];
