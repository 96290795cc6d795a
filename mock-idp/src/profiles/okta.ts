import { evaluateOktaExpression } from '../expressions/okta-el.js';
import { el, toWire, type XmlElement } from '../xml/element.js';
import { digits } from './ids.js';
import { NAMEID_FORMATS, type BuiltResponse, type Profile, type ResponseInput } from './profile.js';
import { nonEmpty, seal } from './seal.js';
import { MINUTE, isoMillis, plusMs } from './timestamps.js';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XS = 'http://www.w3.org/2001/XMLSchema';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const ENTITY = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

/** Okta IDs: `id` + 26 decimal digits; the Response and Assertion IDs share a prefix. */
function oktaIds(): [string, string] {
  const shared = digits(12);
  return ['id' + shared + digits(14), 'id' + shared + digits(14)];
}

/**
 * Okta's default SAML 2.0 app response: `saml2p:`/`saml2:` prefixes with `xmlns:saml2`
 * re-declared on the Assertion's children, both Response and Assertion signed (exc-c14n with
 * PrefixList="xs"), an entity-format Issuer `http://www.okta.com/<app id>`, a ±5 minute
 * window, millisecond timestamps, `unspecified` NameFormat and `xs:string` values, and the
 * AuthnStatement before the AttributeStatement.
 */
export const okta: Profile = {
  id: 'okta',
  displayName: 'Okta',
  issuer: (orgId) => `http://www.okta.com/${orgId}`,
  defaultSigning: { response: true, assertion: true, algorithm: 'rsa-sha256' },
  defaultNameIdFormat: 'unspecified',
  /** Seed 000: app user profile attributes (`appuser.workato_role`). */
  storeRoles(user, roles) {
    user.appUser = { ...user.appUser, ...roles };
  },

  evaluate(expression, subject) {
    return evaluateOktaExpression(expression, { user: subject.profile, appuser: subject.appUser });
  },

  buildResponse(input: ResponseInput): BuiltResponse {
    const [responseId, assertionId] = oktaIds();
    const ii = isoMillis(input.now);
    const notBefore = isoMillis(plusMs(input.now, -5 * MINUTE));
    const notOnOrAfter = isoMillis(plusMs(input.now, 5 * MINUTE));
    const ns2 = ['xmlns:saml2', SAML] as [string, string];
    const irt = input.inResponseTo;
    const attributes = nonEmpty(input.attributes);

    const attributeStatement = el(
      'saml2:AttributeStatement',
      [ns2],
      attributes.map((a) =>
        el(
          'saml2:Attribute',
          [
            ['Name', a.name],
            ['NameFormat', 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified'],
          ],
          a.values.map((v) =>
            el(
              'saml2:AttributeValue',
              [
                ['xmlns:xs', XS],
                ['xmlns:xsi', XSI],
                ['xsi:type', 'xs:string'],
              ],
              [v],
            ),
          ),
        ),
      ),
    );

    const assertion: XmlElement = el(
      'saml2:Assertion',
      [ns2, ['ID', assertionId], ['IssueInstant', ii], ['Version', '2.0'], ['xmlns:xs', XS]],
      [
        el('saml2:Issuer', [['Format', ENTITY], ns2], [input.issuer]),
        el(
          'saml2:Subject',
          [ns2],
          [
            el('saml2:NameID', [['Format', NAMEID_FORMATS[input.nameIdFormat]]], [input.nameId]),
            el(
              'saml2:SubjectConfirmation',
              [['Method', 'urn:oasis:names:tc:SAML:2.0:cm:bearer']],
              [
                el('saml2:SubjectConfirmationData', [
                  ...(irt ? ([['InResponseTo', irt]] as [string, string][]) : []),
                  ['NotOnOrAfter', notOnOrAfter],
                  ['Recipient', input.recipient],
                ]),
              ],
            ),
          ],
        ),
        el(
          'saml2:Conditions',
          [['NotBefore', notBefore], ['NotOnOrAfter', notOnOrAfter], ns2],
          [el('saml2:AudienceRestriction', [], [el('saml2:Audience', [], [input.audience])])],
        ),
        el(
          'saml2:AuthnStatement',
          [
            ['AuthnInstant', isoMillis(input.authnInstant ?? input.now)],
            ['SessionIndex', irt ?? assertionId],
            ns2,
          ],
          [
            el(
              'saml2:AuthnContext',
              [],
              [
                el(
                  'saml2:AuthnContextClassRef',
                  [],
                  ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'],
                ),
              ],
            ),
          ],
        ),
        ...(attributes.length ? [attributeStatement] : []),
      ],
    );

    const response: XmlElement = el(
      'saml2p:Response',
      [
        ['xmlns:saml2p', SAMLP],
        ['Destination', input.destination],
        ['ID', responseId],
        ...(irt ? ([['InResponseTo', irt]] as [string, string][]) : []),
        ['IssueInstant', ii],
        ['Version', '2.0'],
        // With an EncryptedAssertion Okta declares xs on the (encrypted) Assertion only.
        ...(input.encryption ? [] : ([['xmlns:xs', XS]] as [string, string][])),
      ],
      [
        el('saml2:Issuer', [ns2, ['Format', ENTITY]], [input.issuer]),
        el(
          'saml2p:Status',
          [['xmlns:saml2p', SAMLP]],
          [el('saml2p:StatusCode', [['Value', 'urn:oasis:names:tc:SAML:2.0:status:Success']])],
        ),
        assertion,
      ],
    );

    const shape = {
      algorithm: input.signing.algorithm,
      prefix: 'ds',
      inclusivePrefixes: ['xs'],
      wrapAt: 76,
    };
    // Okta's outer signature over an EncryptedAssertion carries no PrefixList.
    seal(response, assertion, input, {
      assertion: shape,
      response: input.encryption ? { ...shape, inclusivePrefixes: [] } : shape,
    });
    return {
      xml: '<?xml version="1.0" encoding="UTF-8"?>' + toWire(response),
      responseId,
      assertionId,
      sessionIndex: irt ?? assertionId,
    };
  },
};
