import { assertionOf, parseXml, removeSignatures, serialize } from './dom.js';
import { ASSERTION_ONLY, BOTH_SIGNED, RESPONSE_ONLY, UNSIGNED, asDelivery, plain } from './helpers.js';
import type { Mutation } from './types.js';

const REJECT_UNSIGNED =
  'Refuses the response: over the POST binding every assertion must be covered by a valid signature of a trusted IdP key, ' +
  'on the assertion itself or on the enclosing Response.';

function stripped(
  name: string,
  title: string,
  signing: typeof ASSERTION_ONLY,
  strip: (doc: Document) => void,
): Mutation {
  return {
    id: `saml.reject.${name}`,
    title,
    spec: [
      'SAML Profiles 4.1.3.5 (POST binding: the assertion must be signed)',
      'SAML Core 5.2 (signed elements)',
    ],
    conformingSp: REJECT_UNSIGNED,
    mutate(ctx) {
      const doc = parseXml(ctx.build(signing));
      strip(doc);
      return asDelivery(serialize(doc));
    },
  };
}

/** Missing, removed or untrusted signatures. */
export const SIGNATURE_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.unsigned',
    title: 'A response written with no signature at all',
    spec: ['SAML Profiles 4.1.3.5 (POST binding: the assertion must be signed)', 'SAML Core 5.2'],
    conformingSp: REJECT_UNSIGNED,
    mutate: (ctx) => asDelivery(ctx.build(UNSIGNED)),
  },
  stripped(
    'signature-stripped-response',
    'A response whose only signature, on the Response, was removed in transit',
    RESPONSE_ONLY,
    (doc) => removeSignatures(doc.documentElement),
  ),
  stripped(
    'signature-stripped-assertion',
    'A response whose only signature, on the Assertion, was removed in transit',
    ASSERTION_ONLY,
    (doc) => removeSignatures(assertionOf(doc)),
  ),
  stripped(
    'signature-stripped-both',
    'A response signed on both the Response and the Assertion, with both signatures removed',
    BOTH_SIGNED,
    (doc) => {
      removeSignatures(assertionOf(doc));
      removeSignatures(doc.documentElement);
    },
  ),
  {
    id: 'saml.reject.untrusted-key',
    title:
      'A well-formed response signed by a key the SP does not trust, its certificate embedded in KeyInfo',
    spec: [
      'SAML Core 5.4 (signature processing: the key must be one the relying party trusts)',
      'SAML Metadata 2.4.1.1 (KeyDescriptor: the signing keys of the IdP)',
    ],
    conformingSp:
      'Refuses the response: it verifies signatures only with the certificates configured for the IdP, ' +
      'never with the certificate the message carries.',
    mutate: (ctx) => asDelivery(ctx.build((i) => plain({ ...i, key: ctx.untrustedKey() }))),
  },
];
