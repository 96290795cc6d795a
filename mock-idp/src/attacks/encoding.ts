import { deflateRawSync } from 'node:zlib';
import { base64 } from './dom.js';
import { plain } from './helpers.js';
import type { Mutation } from './types.js';

/** Bytes of padding in the oversized response: over a typical 256 KiB ACS limit. */
export const OVERSIZED_PADDING_BYTES = 300 * 1024;

/** How the message is carried: its size and its base64 and DEFLATE layers. */
export const ENCODING_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.oversized',
    title: `A validly signed response followed by ${OVERSIZED_PADDING_BYTES / 1024} KiB of trailing whitespace`,
    spec: ['SAML Security Considerations 6.5 (denial of service by large messages)'],
    conformingSp: 'Refuses the message by its size before parsing or verifying it.',
    mutate(ctx) {
      const xml = ctx.build(plain);
      const padded = xml + ' '.repeat(OVERSIZED_PADDING_BYTES);
      return { samlResponse: base64(padded), xml: padded };
    },
  },
  {
    id: 'saml.reject.malformed-base64',
    title: 'A SAMLResponse form value that is not valid base64',
    spec: ['SAML Bindings 3.5.4 (the POST binding carries the message base64-encoded)'],
    conformingSp: 'Refuses the message as undecodable; it does not guess at a repair.',
    mutate(ctx) {
      const value = base64(ctx.build(plain));
      const cut = Math.floor(value.length / 2);
      return { samlResponse: `${value.slice(0, cut)}!*~${value.slice(cut + 1)}` };
    },
  },
  {
    id: 'saml.reject.malformed-deflate',
    title:
      'A SAMLResponse that is base64 of a truncated DEFLATE stream, as a broken Redirect-binding encoder would send',
    spec: [
      'SAML Bindings 3.5.4 (the POST binding does not DEFLATE the message)',
      'SAML Bindings 3.4.4.1 (DEFLATE encoding belongs to the Redirect binding)',
    ],
    conformingSp: 'Refuses the message: after base64 decoding it is not an XML document.',
    mutate(ctx) {
      const deflated = deflateRawSync(Buffer.from(ctx.build(plain), 'utf8'));
      return { samlResponse: deflated.subarray(0, Math.floor(deflated.length / 2)).toString('base64') };
    },
  },
];
