import { evaluateOneLoginParameter } from '../expressions/onelogin-params.js';
import { el, toWire, type XmlElement } from '../xml/element.js';
import type { SignatureShape } from '../xmldsig/sign.js';
import { hex, uuid } from './ids.js';
import { NAMEID_FORMATS, type BuiltResponse, type Profile, type ResponseInput } from './profile.js';
import { seal } from './seal.js';
import { HOUR, MINUTE, isoSeconds, plusMs } from './timestamps.js';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XS = 'http://www.w3.org/2001/XMLSchema';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

/**
 * OneLogin's SAML Custom Connector: `samlp:`/`saml:` prefixes with `xmlns:saml` declared on
 * the Response and again on the Assertion (which also declares `xs`/`xsi`), no XML
 * declaration, whole-second timestamps, a ±3 minute window with SessionNotOnOrAfter a day
 * out and AuthnInstant a second before the IssueInstant, `basic` NameFormat with
 * `xs:string` values and `xmlns:xsi` on every value, an empty AttributeValue for an empty
 * parameter, no Format on the Issuer, and RSA-SHA1 by default. The signed element gets a
 * `pfx` + UUID ID; an unsigned Response or Assertion gets `R`/`A` + 40 hex digits.
 */
export const onelogin: Profile = {
  id: 'onelogin',
  displayName: 'OneLogin',
  issuer: (appId) => `https://app.onelogin.com/saml/metadata/${appId}`,
  defaultSigning: { response: false, assertion: true, algorithm: 'rsa-sha1' },
  defaultNameIdFormat: 'emailAddress',
  defaultNameIdSource: 'email',
  directoryDefaults: (login) => ({ email: login, username: login }),
  blankPlaceholders: { audience: '{audience}', recipient: '{recipient}' },
  /** Seed 003: custom user fields (`{$user.custom_fields.workato_role}`). */
  storeRoles(user, roles) {
    const custom = (user.profile?.custom_fields as Record<string, unknown> | undefined) ?? {};
    user.profile = { ...user.profile, custom_fields: { ...custom, ...roles } };
  },

  evaluate(expression, subject) {
    return evaluateOneLoginParameter(expression, {
      user: subject.profile,
      appuser: subject.appUser,
      roles: subject.groups,
    });
  },

  buildResponse(input: ResponseInput): BuiltResponse {
    const responseId = input.signing.response ? 'pfx' + uuid() : 'R' + hex(40);
    const assertionId = input.signing.assertion ? 'pfx' + uuid() : 'A' + hex(40);
    const ii = isoSeconds(input.now);
    const notBefore = isoSeconds(plusMs(input.now, -3 * MINUTE));
    const notOnOrAfter = isoSeconds(plusMs(input.now, 3 * MINUTE));
    const irt = input.inResponseTo;
    const ns: [string, string] = ['xmlns:saml', SAML];
    const sessionIndex = '_' + uuid();

    const attributeStatement = el(
      'saml:AttributeStatement',
      [],
      input.attributes.map((a) =>
        el(
          'saml:Attribute',
          [
            ['NameFormat', BASIC],
            ['Name', a.name],
          ],
          (a.values.length ? a.values : ['']).map((v) =>
            el(
              'saml:AttributeValue',
              [
                ['xmlns:xsi', XSI],
                ['xsi:type', 'xs:string'],
              ],
              v === '' ? [] : [v],
            ),
          ),
        ),
      ),
    );

    const assertion: XmlElement = el(
      'saml:Assertion',
      [
        ns,
        ['xmlns:xs', XS],
        ['xmlns:xsi', XSI],
        ['Version', '2.0'],
        ['ID', assertionId],
        ['IssueInstant', ii],
      ],
      [
        el('saml:Issuer', [], [input.issuer]),
        el(
          'saml:Subject',
          [],
          [
            el('saml:NameID', [['Format', NAMEID_FORMATS[input.nameIdFormat]]], [input.nameId]),
            el(
              'saml:SubjectConfirmation',
              [['Method', 'urn:oasis:names:tc:SAML:2.0:cm:bearer']],
              [
                el('saml:SubjectConfirmationData', [
                  ['NotOnOrAfter', notOnOrAfter],
                  ['Recipient', input.recipient],
                  ...(irt ? ([['InResponseTo', irt]] as [string, string][]) : []),
                ]),
              ],
            ),
          ],
        ),
        el(
          'saml:Conditions',
          [
            ['NotBefore', notBefore],
            ['NotOnOrAfter', notOnOrAfter],
          ],
          [el('saml:AudienceRestriction', [], [el('saml:Audience', [], [input.audience])])],
        ),
        el(
          'saml:AuthnStatement',
          [
            ['AuthnInstant', isoSeconds(plusMs(input.authnInstant ?? input.now, -1000))],
            ['SessionNotOnOrAfter', isoSeconds(plusMs(input.now, 24 * HOUR))],
            ['SessionIndex', sessionIndex],
          ],
          [
            el(
              'saml:AuthnContext',
              [],
              [
                el(
                  'saml:AuthnContextClassRef',
                  [],
                  ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'],
                ),
              ],
            ),
          ],
        ),
        ...(input.attributes.length ? [attributeStatement] : []),
      ],
    );

    const response: XmlElement = el(
      'samlp:Response',
      [
        ns,
        ['xmlns:samlp', SAMLP],
        ['ID', responseId],
        ['Version', '2.0'],
        ['IssueInstant', ii],
        ['Destination', input.destination],
        ...(irt ? ([['InResponseTo', irt]] as [string, string][]) : []),
      ],
      [
        el('saml:Issuer', [], [input.issuer]),
        el(
          'samlp:Status',
          [],
          [el('samlp:StatusCode', [['Value', 'urn:oasis:names:tc:SAML:2.0:status:Success']])],
        ),
        assertion,
      ],
    );

    const shape: SignatureShape = { algorithm: input.signing.algorithm, prefix: 'ds' };
    seal(response, assertion, input, { assertion: shape, response: shape });
    return { xml: toWire(response), responseId, assertionId, sessionIndex };
  },
};
