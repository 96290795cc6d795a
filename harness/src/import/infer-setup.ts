import type { TenantSetup } from '../../../mock-idp/src/index.js';
import type { IdpId } from '../scenario/types.js';
import type { CapturedAttribute, CapturedLogin } from './captured-login.js';
import { VENDOR_SYNTAX, fieldNameFor, type UserDraft } from './vendor-syntax.js';

const NAMEID_FORMATS = {
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified': 'unspecified',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress': 'emailAddress',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent': 'persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient': 'transient',
} as const;
const SIGNATURE_METHODS: Record<string, 'rsa-sha256' | 'rsa-sha1'> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'rsa-sha256',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'rsa-sha1',
};
const DATA_ENCRYPTION: Record<string, 'aes256-cbc' | 'aes256-gcm'> = {
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc': 'aes256-cbc',
  'http://www.w3.org/2009/xmlenc11#aes256-gcm': 'aes256-gcm',
};

/** Entra's default claims and the directory field each carries (the profile sends them first). */
const ENTRA_MS = 'http://schemas.microsoft.com/identity/claims/';
const ENTRA_XML = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const ENTRA_DEFAULT_CLAIMS: Record<string, string | null> = {
  [`${ENTRA_MS}tenantid`]: null,
  [`${ENTRA_MS}objectidentifier`]: 'objectid',
  [`${ENTRA_MS}displayname`]: 'displayname',
  [`${ENTRA_MS}identityprovider`]: null,
  'http://schemas.microsoft.com/claims/authnmethodsreferences': null,
  [`${ENTRA_XML}givenname`]: 'givenname',
  [`${ENTRA_XML}surname`]: 'surname',
  [`${ENTRA_XML}emailaddress`]: 'mail',
  [`${ENTRA_XML}name`]: 'userprincipalname',
};
const ENTRA_GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The audience of an import that could not read it (an encrypted Assertion, no SP key). */
export const PLACEHOLDER_AUDIENCE = 'urn:idp-harness:placeholder:audience';

/** How one attribute statement of the setup came about. */
export interface AttributeNote {
  attribute: string;
  how: 'mapped' | 'placeholder' | 'vendor default' | 'not reproducible';
  detail: string;
}

export interface InferredSetup {
  setup: TenantSetup;
  password: string;
  notes: AttributeNote[];
  /** Things of the capture the setup cannot carry, each with why. */
  notInferable: string[];
  /** Values of the round trip that may differ, by comparison item (`attribute <name>`, `Issuer`, …), with why. */
  excused: Map<string, string>;
  /** Choices made from the capture that a reader should know, e.g. a vendor quirk recognised. */
  inferred: string[];
}

export interface InferOptions {
  vendor: IdpId;
  tenant: string;
  signingKey: { keyFile: string; certFile: string };
  /** The SP encryption certificate, when the capture does not carry it. */
  encryptionCertPem?: string;
}

/** A field name for an attribute that no other attribute and no vendor source (`used`, lower case) has. */
function uniqueField(name: string, used: Set<string>): string {
  const base = fieldNameFor(name);
  let f = base;
  for (let i = 2; used.has(f.toLowerCase()); i++) f = `${base}_${i}`;
  used.add(f.toLowerCase());
  return f;
}

/**
 * Turns a captured login into a tenant setup of `vendor`: Issuer → orgId, Destination /
 * Recipient → ssoUrl, Audience → audience (undoing OneLogin's `{audience}` and Entra's `spn:`
 * quirks), NameID format and source, what is signed and how, encryption, and one user whose
 * profile holds the captured values. Attribute sources the capture cannot tell become fields
 * named after the attribute, listed as placeholders.
 */
export function inferSetup(c: CapturedLogin, o: InferOptions): InferredSetup {
  const syntax = VENDOR_SYNTAX[o.vendor];
  const a = c.assertion;
  const notes: AttributeNote[] = [];
  const notInferable: string[] = [];
  const inferred: string[] = [];
  const excused = new Map<string, string>();
  const cannot = (item: string | undefined, why: string) => {
    notInferable.push(item ? `${item}: ${why}` : why);
    if (item) excused.set(item, why);
  };
  const issuer = c.issuer ?? a?.issuer ?? '';
  let orgId = syntax.orgIdOf(issuer);
  if (orgId === undefined) {
    cannot(
      'Issuer',
      `"${issuer}" is not in ${o.vendor}'s form ${syntax.issuerForm}; the setup's orgId makes one of that form`,
    );
    orgId = fieldNameFor(issuer);
  }

  // Endpoints and the vendor quirks that show in them.
  const acs = a?.recipient ?? c.destination ?? '';
  const app: TenantSetup['app'] = {
    ssoUrl: acs === '{recipient}' ? (c.destination ?? '') : acs,
    audience: a?.audiences[0] ?? '',
  };
  if (o.vendor === 'onelogin' && app.audience === '{audience}') {
    app.audience = '';
    inferred.push(
      'Audience "{audience}": OneLogin sends this literal when the app\'s Audience field is blank, so the setup leaves it blank',
    );
  }
  if (o.vendor === 'onelogin' && a?.recipient === '{recipient}') {
    app.recipient = '';
    inferred.push('Recipient "{recipient}": OneLogin sends this literal when the Recipient field is blank');
  } else if (a?.recipient && c.destination && a.recipient !== c.destination) {
    app.destination = c.destination;
  }
  if (o.vendor === 'entra' && app.audience.startsWith('spn:')) {
    app.audience = app.audience.slice(4);
    inferred.push('Audience "spn:…": Entra writes a non-URI identifier as a service principal name');
  }
  if (a && a.audiences.length > 1)
    cannot('Audience', `only the first of ${a.audiences.length} audiences is kept (a setup has one)`);
  if (o.vendor === 'google' && /^http:/i.test(app.ssoUrl)) {
    app.quirks = { httpsOnlyAcs: false };
    inferred.push('ACS over http: Google refuses one by default, so httpsOnlyAcs is switched off');
  }

  // Signing and encryption.
  const algorithms = new Set(c.signatures.map((s) => s.signatureMethod));
  const algorithm = [...algorithms].map((m) => SIGNATURE_METHODS[m]).find(Boolean);
  for (const m of algorithms) {
    if (!SIGNATURE_METHODS[m])
      notInferable.push(`signature method ${m}: the mock signs with rsa-sha256 or rsa-sha1 only`);
  }
  app.signing = {
    response: c.signatures.some((s) => s.on === 'Response'),
    assertion: c.signatures.some((s) => s.on === 'Assertion'),
    ...(algorithm ? { algorithm } : {}),
  };
  if (!c.signatures.length) inferred.push('nothing is signed in the capture, so the setup signs nothing');
  if (c.encryption) {
    const alg = DATA_ENCRYPTION[c.encryption.dataAlgorithm ?? ''];
    const cert = c.encryption.spCertificatePem ?? o.encryptionCertPem;
    if (!alg)
      notInferable.push(
        `encryption ${c.encryption.dataAlgorithm}: the mock encrypts with aes256-cbc or aes256-gcm only`,
      );
    else if (!cert)
      notInferable.push(
        'encryption: the capture does not carry the SP certificate; give it with --encryption-cert',
      );
    else {
      app.encryption = { algorithm: alg, certificatePem: cert };
      inferred.push(
        `the Assertion is encrypted (${alg}) for the SP certificate ${c.encryption.spCertificatePem ? 'in the capture' : 'given'}`,
      );
    }
    if (!a) {
      app.audience = PLACEHOLDER_AUDIENCE;
      cannot(
        'Audience',
        `the Assertion is encrypted and no SP key was given (--decrypt-key): the Audience, NameID and attributes are unknown; the audience is the placeholder ${PLACEHOLDER_AUDIENCE}`,
      );
    }
  }
  if (c.decryptedInPlace)
    cannot(
      undefined,
      'encryption: the EncryptedAssertion holds the Assertion in clear (it was decrypted in place), so its algorithm is unknown and the setup does not encrypt',
    );

  // The user and the NameID.
  const nameId = a?.nameId?.value ?? '';
  const emailValue = EMAIL.test(nameId)
    ? nameId
    : a?.attributes.find((x) => x.values.length === 1 && EMAIL.test(x.values[0]!))?.values[0];
  const user: UserDraft = { login: emailValue ?? (nameId || 'imported.user@example.com'), profile: {} };
  const format = NAMEID_FORMATS[(a?.nameId?.format ?? '') as keyof typeof NAMEID_FORMATS];
  if (a?.nameId?.format && !format)
    notInferable.push(
      `NameID format ${a.nameId.format}: a setup chooses unspecified, emailAddress, persistent or transient`,
    );
  let nameIdSource = syntax.login;
  if (o.vendor === 'entra') {
    const name = a?.attributes.find((x) => x.name === `${ENTRA_XML}name`)?.values[0];
    const mail = a?.attributes.find((x) => x.name === `${ENTRA_XML}emailaddress`)?.values[0];
    if (name !== undefined && name !== nameId)
      nameIdSource = nameId === mail ? syntax.email : syntax.field('nameid');
  } else if (EMAIL.test(nameId)) nameIdSource = syntax.email;
  if (a?.nameId) {
    nameIdSource.put(user, nameId);
    app.nameId = { source: nameIdSource.expression, ...(format ? { format } : {}) };
  }

  // Attributes.
  const used = new Set<string>(syntax.reserved);
  const statements: { name: string; value: string }[] = [];
  const groupStatements: NonNullable<TenantSetup['app']['groupAttributeStatements']> = [];
  let groupsTaken = false;
  const attrs = a?.attributes ?? [];
  const entraDefaults = o.vendor === 'entra' && attrs.some((x) => x.name === `${ENTRA_MS}tenantid`);
  if (entraDefaults) {
    for (const [claim, field] of Object.entries(ENTRA_DEFAULT_CLAIMS)) {
      const got = attrs.find((x) => x.name === claim);
      if (field && (got || user.profile[field] === undefined)) user.profile[field] = got?.values[0] ?? '';
      if (claim.endsWith('/tenantid') && got && got.values[0] !== orgId)
        cannot(
          `attribute ${claim}`,
          `"${got.values[0]}" differs from the Issuer's tenant; the profile sends the orgId`,
        );
      if (claim === `${ENTRA_XML}name` && !got)
        cannot(
          `attribute ${claim}`,
          "Entra's default claim set always has it; the profile cannot leave it out",
        );
    }
    app.includeDefaultClaims = true;
    inferred.push(
      "Entra's default claim set is present, so the setup keeps it on and fills the user's directory fields from it",
    );
  } else if (o.vendor === 'entra') {
    app.includeDefaultClaims = false;
  }
  for (const attr of attrs) {
    if (entraDefaults && attr.name in ENTRA_DEFAULT_CLAIMS) {
      notes.push({ attribute: attr.name, how: 'vendor default', detail: "Entra's default claim set" });
      if (attr.name.endsWith('/authnmethodsreferences'))
        cannot(
          `attribute ${attr.name}`,
          `how the user signed in (${attr.values.join(', ')}) is no setting; the profile sends password`,
        );
      continue;
    }
    mapAttribute(attr);
  }
  function mapAttribute(attr: CapturedAttribute) {
    const values = attr.values;
    if (values.length > 1 || (o.vendor === 'entra' && attr.name === ENTRA_GROUPS)) {
      if (o.vendor === 'google') {
        groupStatements.push({ name: attr.name, groups: values });
        user.groups = [...new Set([...(user.groups ?? []), ...values])];
        notes.push({
          attribute: attr.name,
          how: 'mapped',
          detail: 'several values: a group membership mapping of the groups sent',
        });
        return;
      }
      if (
        syntax.groups &&
        !groupsTaken &&
        (o.vendor !== 'entra' || attr.name === ENTRA_GROUPS || !attrs.some((x) => x.name === ENTRA_GROUPS))
      ) {
        groupsTaken = true;
        statements.push({ name: attr.name, value: syntax.groups.expression });
        syntax.groups.put(user, values);
        notes.push({
          attribute: attr.name,
          how: 'mapped',
          detail: `several values: the user's groups (${syntax.groups.expression})`,
        });
        return;
      }
      if (o.vendor === 'onelogin') {
        notes.push({
          attribute: attr.name,
          how: 'not reproducible',
          detail: 'OneLogin sends one multi-value parameter (roles); this one is left out',
        });
        cannot(
          `attribute ${attr.name}`,
          'a second multi-valued OneLogin parameter has no source the profile knows',
        );
        return;
      }
    }
    if (values.length === 1 && emailValue !== undefined && values[0] === emailValue) {
      statements.push({ name: attr.name, value: syntax.email.expression });
      syntax.email.put(user, values[0]!);
      notes.push({
        attribute: attr.name,
        how: 'mapped',
        detail: `its value is the user's e-mail, so ${syntax.email.expression}`,
      });
      return;
    }
    if (!values.length && o.vendor !== 'onelogin')
      cannot(
        `attribute ${attr.name}`,
        `it has no value, and the ${o.vendor} profile leaves out an attribute without one`,
      );
    const source = syntax.field(uniqueField(attr.name, used));
    statements.push({ name: attr.name, value: source.expression });
    if (values.length) source.put(user, values.length === 1 ? values[0]! : values);
    notes.push({
      attribute: attr.name,
      how: 'placeholder',
      detail: `the directory field that fed it is not in the capture; ${source.expression} holds the captured value${values.length ? '' : ' (empty)'}`,
    });
  }
  if (statements.length) app.attributeStatements = statements;
  if (groupStatements.length) app.groupAttributeStatements = groupStatements;

  const password = 'Imported-Password-1!';
  const setup: TenantSetup = {
    tenant: o.tenant,
    vendor: o.vendor,
    orgId,
    signingKey: o.signingKey,
    app,
    users: [
      { login: user.login, password, profile: user.profile, ...(user.groups ? { groups: user.groups } : {}) },
    ],
  };
  notInferable.push(
    "signing key: the IdP's private key never leaves the IdP; the mock signs with its own test key",
    `password: the user's password is not in a capture; the setup gives ${user.login} a test password`,
  );
  return { setup, password, notes, notInferable, excused, inferred };
}
