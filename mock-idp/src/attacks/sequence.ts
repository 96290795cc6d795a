import { randomBytes } from 'node:crypto';
import { IdpError } from '../errors.js';
import { asDelivery, plain } from './helpers.js';
import type { Mutation } from './types.js';

/** Responses that are fine in themselves but wrong in the conversation they arrive in. */
export const SEQUENCE_MUTATIONS: Mutation[] = [
  {
    id: 'saml.reject.replay',
    title: 'The previous response this tenant delivered, which the SP already consumed, sent again',
    spec: [
      'SAML Profiles 4.1.4.5 (the SP must ensure a bearer assertion is not used more than once)',
      'SAML Security Considerations 7.1.1.3 (replay)',
    ],
    conformingSp:
      'Refuses the response as a replay: it remembers the IDs of consumed assertions (and answered requests) until they expire.',
    needs: { consumedResponse: true },
    mutate(ctx) {
      if (!ctx.previous) {
        throw new IdpError(
          'ERR_MUTATION_PRECONDITION',
          'saml.reject.replay needs an earlier sign-in through this tenant',
          409,
        );
      }
      return { samlResponse: ctx.previous };
    },
  },
  {
    id: 'saml.reject.in-response-to-mismatch',
    title: 'A validly signed response answering an AuthnRequest the SP never sent',
    spec: ['SAML Core 3.2.2 (InResponseTo)', 'SAML Profiles 4.1.4.2 (InResponseTo must match the request)'],
    conformingSp: 'Refuses the response: it answers no outstanding request of this SP.',
    mutate: (ctx) =>
      asDelivery(ctx.build((i) => plain({ ...i, inResponseTo: '_' + randomBytes(16).toString('hex') }))),
  },
  {
    id: 'saml.reject.unsolicited',
    title:
      'A validly signed response with no InResponseTo, sent to an SP that accepts only solicited responses',
    spec: ['SAML Profiles 4.1.5 (unsolicited responses)', 'SAML Profiles 4.1.4.2'],
    conformingSp:
      'Refuses the response when IdP-initiated sign-in is switched off for the workspace: there is no request it answers.',
    needs: { unsolicitedRefused: true },
    mutate: (ctx) => asDelivery(ctx.build((i) => plain({ ...i, inResponseTo: undefined }))),
  },
];
