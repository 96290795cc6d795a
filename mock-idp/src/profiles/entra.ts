import { createHash } from 'node:crypto';
import { evaluateEntraClaim } from '../expressions/entra-claims.js';
import { el, toWire, type XmlElement } from '../xml/element.js';
import type { SignatureShape } from '../xmldsig/sign.js';
import { uuid } from './ids.js';
import {
  NAMEID_FORMATS,
  type AttributeOut,
  type BuiltResponse,
  type Profile,
  type ResponseInput,
  type SubjectData,
  type TenantFacts,
} from './profile.js';
import { nonEmpty, seal } from './seal.js';
import { HOUR, MINUTE, isoMillis, plusMs } from './timestamps.js';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const MS_CLAIMS = 'http://schemas.microsoft.com/identity/claims/';
const XML_CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

/** Entra's claim URIs, by short name. */
export const ENTRA_CLAIMS = {
  tenantid: MS_CLAIMS + 'tenantid',
  objectidentifier: MS_CLAIMS + 'objectidentifier',
  displayname: MS_CLAIMS + 'displayname',
  identityprovider: MS_CLAIMS + 'identityprovider',
  authnmethodsreferences: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
  givenname: XML_CLAIMS + 'givenname',
  surname: XML_CLAIMS + 'surname',
  emailaddress: XML_CLAIMS + 'emailaddress',
  name: XML_CLAIMS + 'name',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  groupsLink: 'http://schemas.microsoft.com/claims/groups.link',
} as const;

/** A stable object ID for a user that has none in the setup (derived from the login). */
export function objectIdFor(subject: SubjectData): string {
  const given = subject.profile.objectid;
  if (typeof given === 'string' && given) return given;
  const h = createHash('sha256')
    .update(String(subject.profile.login ?? ''))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/**
 * Microsoft Entra ID: no XML declaration; `samlp:` only on Response and Status, while the
 * Issuer, the Assertion and all inside it use the unprefixed default namespace, and so does
 * the Signature (`<Signature xmlns="…xmldsig#">`). The Assertion alone is signed (RSA-SHA256),
 * IDs are `_` + UUID, SessionIndex is the Assertion ID, timestamps have milliseconds, the
 * window runs from 5 minutes before to 60 minutes after an instant ~90 ms before the
 * IssueInstant, and the AttributeStatement comes before the AuthnStatement. Values carry no
 * NameFormat or `xsi:type`; a claim with no value is left out. The default claim set is sent
 * first, with its claim URIs.
 */
export const entra: Profile = {
  id: 'entra',
  displayName: 'Microsoft Entra ID',
  issuer: (tenantId) => `https://sts.windows.net/${tenantId}/`,
  defaultSigning: { response: false, assertion: true, algorithm: 'rsa-sha256' },
  defaultNameIdFormat: 'emailAddress',
  defaultNameIdSource: 'user.userprincipalname',
  directoryDefaults: (login) => ({ userprincipalname: login, mail: login }),
  defaultQuirks: { groupOverageLimit: 150 },
  /** Seed 004: directory extension attributes (`extension_<appid>_workato_role`), the app id from the claims. */
  storeRoles(user, roles, app) {
    let appId = '0'.repeat(32);
    for (const st of app.attributeStatements ?? []) {
      const m = /extension_([0-9a-f]{32})_/i.exec(st.value);
      if (m) {
        appId = m[1]!;
        break;
      }
    }
    user.profile = {
      ...user.profile,
      ...Object.fromEntries(Object.entries(roles).map(([k, v]) => [`extension_${appId}_${k}`, v])),
    };
  },

  evaluate(expression, subject) {
    return evaluateEntraClaim(expression, { user: subject.profile, groups: subject.groups });
  },

  audienceFor(entityId) {
    // An identifier that is not a URI (e.g. an app ID GUID) is sent as a service principal name.
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(entityId) ? entityId : `spn:${entityId}`;
  },

  defaultAttributes(subject: SubjectData, tenant: TenantFacts): AttributeOut[] {
    const p = subject.profile;
    const claim = (name: string, v: string | null): AttributeOut => ({ name, values: v === null ? [] : [v] });
    const given = str(p.givenname);
    const sur = str(p.surname);
    return [
      claim(ENTRA_CLAIMS.tenantid, tenant.orgId),
      claim(ENTRA_CLAIMS.objectidentifier, objectIdFor(subject)),
      claim(ENTRA_CLAIMS.displayname, str(p.displayname) ?? ([given, sur].filter(Boolean).join(' ') || null)),
      claim(ENTRA_CLAIMS.identityprovider, tenant.entityId),
      claim(
        ENTRA_CLAIMS.authnmethodsreferences,
        'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
      ),
      claim(ENTRA_CLAIMS.givenname, given),
      claim(ENTRA_CLAIMS.surname, sur),
      claim(ENTRA_CLAIMS.emailaddress, str(p.mail)),
      claim(ENTRA_CLAIMS.name, str(p.userprincipalname) ?? str(p.login)),
    ];
  },

  adjustAttributes(attributes, subject, tenant, quirks) {
    const limit = quirks.groupOverageLimit;
    const out: AttributeOut[] = [];
    let overage = false;
    for (const a of attributes) {
      if (a.group && a.values.length > limit) overage = true;
      else out.push(a);
    }
    if (overage) {
      out.push({
        name: ENTRA_CLAIMS.groupsLink,
        values: [`https://graph.windows.net/${tenant.orgId}/users/${objectIdFor(subject)}/getMemberObjects`],
      });
    }
    return out;
  },

  buildResponse(input: ResponseInput): BuiltResponse {
    const responseId = '_' + uuid();
    const assertionId = '_' + uuid();
    const base = plusMs(input.now, -93);
    const assertionInstant = isoMillis(input.now);
    const responseInstant = isoMillis(plusMs(input.now, 3));
    const notBefore = isoMillis(plusMs(base, -5 * MINUTE));
    const notOnOrAfter = isoMillis(plusMs(base, HOUR));
    const irt = input.inResponseTo;
    const irtAttr = (irt ? [['InResponseTo', irt]] : []) as [string, string][];
    const attributes = nonEmpty(input.attributes);

    const assertion: XmlElement = el(
      'Assertion',
      [
        ['ID', assertionId],
        ['IssueInstant', assertionInstant],
        ['Version', '2.0'],
        ['xmlns', SAML],
      ],
      [
        el('Issuer', [], [input.issuer]),
        el(
          'Subject',
          [],
          [
            el('NameID', [['Format', NAMEID_FORMATS[input.nameIdFormat]]], [input.nameId]),
            el(
              'SubjectConfirmation',
              [['Method', 'urn:oasis:names:tc:SAML:2.0:cm:bearer']],
              [
                el('SubjectConfirmationData', [
                  ...irtAttr,
                  ['NotOnOrAfter', notOnOrAfter],
                  ['Recipient', input.recipient],
                ]),
              ],
            ),
          ],
        ),
        el(
          'Conditions',
          [
            ['NotBefore', notBefore],
            ['NotOnOrAfter', notOnOrAfter],
          ],
          [el('AudienceRestriction', [], [el('Audience', [], [input.audience])])],
        ),
        ...(attributes.length
          ? [
              el(
                'AttributeStatement',
                [],
                attributes.map((a) =>
                  el(
                    'Attribute',
                    [['Name', a.name]],
                    a.values.map((v) => el('AttributeValue', [], [v])),
                  ),
                ),
              ),
            ]
          : []),
        el(
          'AuthnStatement',
          [
            ['AuthnInstant', isoMillis(input.authnInstant ?? input.now)],
            ['SessionIndex', assertionId],
          ],
          [
            el(
              'AuthnContext',
              [],
              [el('AuthnContextClassRef', [], ['urn:oasis:names:tc:SAML:2.0:ac:classes:Password'])],
            ),
          ],
        ),
      ],
    );

    const response: XmlElement = el(
      'samlp:Response',
      [
        ['ID', responseId],
        ['Version', '2.0'],
        ['IssueInstant', responseInstant],
        ['Destination', input.destination],
        ...irtAttr,
        ['xmlns:samlp', SAMLP],
      ],
      [
        el('Issuer', [['xmlns', SAML]], [input.issuer]),
        el(
          'samlp:Status',
          [],
          [el('samlp:StatusCode', [['Value', 'urn:oasis:names:tc:SAML:2.0:status:Success']])],
        ),
        assertion,
      ],
    );

    const shape: SignatureShape = { algorithm: input.signing.algorithm, prefix: '' };
    seal(response, assertion, input, { assertion: shape, response: shape });
    return { xml: toWire(response), responseId, assertionId, sessionIndex: assertionId };
  },
};
