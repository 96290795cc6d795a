import { NS, assertionOf, parseXml, serialize } from './dom.js';
import { ASSERTION_ONLY, victimLogoutRequest } from './helpers.js';
import type { LogoutMutation } from './types.js';

/*
 * Signature wrapping on Single Logout: a LogoutRequest whose outer, unsigned values name the
 * victim, carrying an element the IdP genuinely signed (an assertion it issued to the attacker).
 * A verifier that accepts "a valid signature somewhere in the message" and then reads the outer
 * NameID ends the victim's sessions.
 */

export const LOGOUT_WRAPPING_MUTATIONS: LogoutMutation[] = [
  {
    channel: 'logout',
    id: 'saml.reject.logout-request-wrapped',
    title:
      'An unsigned IdP LogoutRequest naming the victim, wrapping an assertion the IdP validly signed for the attacker',
    spec: [
      'SAML Profiles 4.4.3.1 (the LogoutRequest must be signed; the SP ends the sessions of the principal it names)',
      'SAML Bindings 3.5.4 (HTTP-POST: the signature is enveloped in the message it signs)',
      'SAML Core 5.4.2 (the signature covers the element whose ID it names)',
    ],
    advisories: ['GHSA-63ch-w8pw-4mf2'],
    conformingSp:
      "Refuses the logout message: only a signature enveloped in the LogoutRequest itself, covering it by its ID, authenticates it; no one's session ends.",
    mutate(ctx) {
      const request = parseXml(victimLogoutRequest(ctx));
      const donor = assertionOf(parseXml(ctx.respondTo(ctx.attacker, ASSERTION_ONLY)));
      request.documentElement.appendChild(request.importNode(donor, true));
      if (request.getElementsByTagNameNS(NS.DS, 'Signature').length !== 1)
        throw new Error('the wrapped assertion must carry its signature');
      return serialize(request);
    },
  },
];
