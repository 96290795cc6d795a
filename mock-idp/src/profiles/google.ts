import { evaluateGoogleMapping } from '../expressions/google-mapping.js';
import { el, toWire, type XmlElement } from '../xml/element.js';
import type { SignatureShape } from '../xmldsig/sign.js';
import { hex } from './ids.js';
import { NAMEID_FORMATS, type BuiltResponse, type Profile, type ResponseInput } from './profile.js';
import { nonEmpty, seal } from './seal.js';
import { MINUTE, isoMillis, isoZeroMillis, plusMs } from './timestamps.js';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XS = 'http://www.w3.org/2001/XMLSchema';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Google Workspace: an XML declaration with `standalone="no"`, `saml2p:`/`saml2:`/`ds:`
 * prefixes, Response attributes in alphabetical order after `xmlns:saml2p`, IDs `_` + 32 hex,
 * SessionIndex = Assertion ID, a ±5 minute window, millisecond timestamps with the
 * AuthnInstant on a whole second, `unspecified` AuthnContextClassRef, no NameFormat and
 * `xs:anyType` values with `xmlns:xs`/`xmlns:xsi` on each, the AttributeStatement before the
 * AuthnStatement, and a KeyInfo with X509SubjectName before the certificate, both the
 * certificate and the SignatureValue wrapped at 76 characters. The Assertion is signed by
 * default; the "Signed response" option signs the Response.
 */
export const google: Profile = {
  id: 'google',
  displayName: 'Google Workspace',
  issuer: (idpId) => `https://accounts.google.com/o/saml2?idpid=${idpId}`,
  defaultSigning: { response: false, assertion: true, algorithm: 'rsa-sha256' },
  defaultNameIdFormat: 'emailAddress',
  defaultNameIdSource: 'Basic Information.Primary email',
  directoryDefaults: (login) => ({ 'Primary email': login }),
  defaultQuirks: { httpsOnlyAcs: true },
  singleLogout: false,
  /** A custom schema (`Workato.workato_role`), named by the app's attribute mapping. */
  storeRoles(user, roles, app) {
    let schema = 'Workato';
    for (const st of app.attributeStatements ?? []) {
      const m = /^([^.\s]+)\.workato_role/.exec(st.value);
      if (m) {
        schema = m[1]!;
        break;
      }
    }
    const schemas =
      (user.profile?.customSchemas as Record<string, Record<string, unknown>> | undefined) ?? {};
    user.profile = {
      ...user.profile,
      customSchemas: { ...schemas, [schema]: { ...schemas[schema], ...roles } },
    };
  },

  evaluate(expression, subject) {
    const custom = subject.profile.customSchemas;
    return evaluateGoogleMapping(expression, {
      user: subject.profile,
      custom: custom && typeof custom === 'object' ? (custom as Record<string, Record<string, unknown>>) : {},
    });
  },

  buildResponse(input: ResponseInput): BuiltResponse {
    const responseId = '_' + hex(32);
    const assertionId = '_' + hex(32);
    const ii = isoMillis(input.now);
    const notBefore = isoMillis(plusMs(input.now, -5 * MINUTE));
    const notOnOrAfter = isoMillis(plusMs(input.now, 5 * MINUTE));
    const irt = input.inResponseTo;
    const irtAttr = (irt ? [['InResponseTo', irt]] : []) as [string, string][];
    const ns: [string, string] = ['xmlns:saml2', SAML];
    const attributes = nonEmpty(input.attributes);

    const assertion: XmlElement = el(
      'saml2:Assertion',
      [ns, ['ID', assertionId], ['IssueInstant', ii], ['Version', '2.0']],
      [
        el('saml2:Issuer', [], [input.issuer]),
        el(
          'saml2:Subject',
          [],
          [
            el('saml2:NameID', [['Format', NAMEID_FORMATS[input.nameIdFormat]]], [input.nameId]),
            el(
              'saml2:SubjectConfirmation',
              [['Method', 'urn:oasis:names:tc:SAML:2.0:cm:bearer']],
              [
                el('saml2:SubjectConfirmationData', [
                  ...irtAttr,
                  ['NotOnOrAfter', notOnOrAfter],
                  ['Recipient', input.recipient],
                ]),
              ],
            ),
          ],
        ),
        el(
          'saml2:Conditions',
          [
            ['NotBefore', notBefore],
            ['NotOnOrAfter', notOnOrAfter],
          ],
          [el('saml2:AudienceRestriction', [], [el('saml2:Audience', [], [input.audience])])],
        ),
        ...(attributes.length
          ? [
              el(
                'saml2:AttributeStatement',
                [],
                attributes.map((a) =>
                  el(
                    'saml2:Attribute',
                    [['Name', a.name]],
                    a.values.map((v) =>
                      el(
                        'saml2:AttributeValue',
                        [
                          ['xmlns:xs', XS],
                          ['xmlns:xsi', XSI],
                          ['xsi:type', 'xs:anyType'],
                        ],
                        [v],
                      ),
                    ),
                  ),
                ),
              ),
            ]
          : []),
        el(
          'saml2:AuthnStatement',
          [
            ['AuthnInstant', isoZeroMillis(input.authnInstant ?? input.now)],
            ['SessionIndex', assertionId],
          ],
          [
            el(
              'saml2:AuthnContext',
              [],
              [el('saml2:AuthnContextClassRef', [], ['urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified'])],
            ),
          ],
        ),
      ],
    );

    const response: XmlElement = el(
      'saml2p:Response',
      [
        ['xmlns:saml2p', SAMLP],
        ['Destination', input.destination],
        ['ID', responseId],
        ...irtAttr,
        ['IssueInstant', ii],
        ['Version', '2.0'],
      ],
      [
        el('saml2:Issuer', [ns], [input.issuer]),
        el(
          'saml2p:Status',
          [],
          [el('saml2p:StatusCode', [['Value', 'urn:oasis:names:tc:SAML:2.0:status:Success']])],
        ),
        assertion,
      ],
    );

    const shape: SignatureShape = {
      algorithm: input.signing.algorithm,
      prefix: 'ds',
      wrapAt: 76,
      wrapSignatureValue: true,
      includeSubjectName: true,
    };
    seal(response, assertion, input, { assertion: shape, response: shape });
    return {
      xml: '<?xml version="1.0" encoding="UTF-8" standalone="no"?>' + toWire(response),
      responseId,
      assertionId,
      sessionIndex: assertionId,
    };
  },
};
