import { IdpError } from './errors.js';
import { signingKeyFromPem, pemToBase64 } from './keys.js';
import { profileFor } from './profiles/index.js';
import { NAMEID_FORMATS, type BuiltResponse, type Profile, type SubjectData } from './profiles/profile.js';
import type { SetupUser, TenantSetup } from './setup.js';
import type { SigningKey } from './xmldsig/sign.js';
import { escapeAttr, escapeText } from './xml/element.js';

/** One configured IdP tenant: its setup, vendor profile and signing key. */
export class Tenant {
  readonly profile: Profile;
  readonly key: SigningKey;
  readonly certificatePem: string;

  constructor(
    readonly setup: TenantSetup,
    private readonly baseUrl: () => string,
  ) {
    const profile = profileFor(setup.vendor);
    if (!profile) throw new IdpError('ERR_BAD_SETUP', `vendor ${setup.vendor} is not available`);
    const pem = setup.signingKey;
    if (!pem?.privateKeyPem || !pem.certificatePem) {
      throw new IdpError(
        'ERR_BAD_SETUP',
        'signingKey needs privateKeyPem and certificatePem (or keyFile and certFile)',
      );
    }
    this.profile = profile;
    this.certificatePem = pem.certificatePem;
    this.key = signingKeyFromPem({ privateKeyPem: pem.privateKeyPem, certificatePem: pem.certificatePem });
  }

  get name(): string {
    return this.setup.tenant;
  }
  get entityId(): string {
    return this.profile.issuer(this.setup.orgId ?? this.setup.tenant);
  }
  get ssoUrl(): string {
    return `${this.baseUrl()}/${this.setup.tenant}/sso`;
  }

  user(login: string): SetupUser | undefined {
    const l = login.toLowerCase();
    return this.setup.users.find((u) => u.login.toLowerCase() === l);
  }

  subject(user: SetupUser): SubjectData {
    return {
      profile: { login: user.login, email: user.login, ...user.profile },
      appUser: user.appUser ?? {},
      groups: user.groups ?? [],
    };
  }

  /** Evaluates the app's attribute statements for a user; null and empty values are left out. */
  attributesFor(user: SetupUser): { name: string; values: string[] }[] {
    const subject = this.subject(user);
    const out: { name: string; values: string[] }[] = [];
    for (const st of this.setup.app.attributeStatements ?? []) {
      const v = this.profile.evaluate(st.value, subject);
      const values = v === null ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : v === '' ? [] : [v];
      if (values.length) out.push({ name: st.name, values });
    }
    return out;
  }

  /** Writes a signed SAML Response for `user`, answering `inResponseTo` when given. */
  respond(user: SetupUser, inResponseTo: string | undefined, acsUrl: string, now: Date): BuiltResponse {
    const app = this.setup.app;
    const source = app.nameId?.source ?? 'user.login';
    const nameIdValue = this.profile.evaluate(source, this.subject(user));
    const nameId = Array.isArray(nameIdValue) ? nameIdValue[0] : nameIdValue;
    if (!nameId) throw new IdpError('ERR_BAD_SETUP', `NameID source ${source} is empty for ${user.login}`);
    return this.profile.buildResponse({
      issuer: this.entityId,
      destination: app.destination ?? acsUrl,
      recipient: app.recipient ?? acsUrl,
      audience: app.audience,
      inResponseTo,
      nameId,
      nameIdFormat: app.nameId?.format ?? this.profile.defaultNameIdFormat,
      attributes: this.attributesFor(user),
      now,
      signing: { ...this.profile.defaultSigning, ...app.signing },
      key: this.key,
    });
  }

  metadataXml(): string {
    const md = 'urn:oasis:names:tc:SAML:2.0:metadata';
    const ds = 'http://www.w3.org/2000/09/xmldsig#';
    const sso = escapeAttr(this.ssoUrl);
    const format = NAMEID_FORMATS[this.setup.app.nameId?.format ?? this.profile.defaultNameIdFormat];
    return (
      `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${md}" entityID="${escapeAttr(this.entityId)}">` +
      `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${ds}"><ds:X509Data><ds:X509Certificate>` +
      `${pemToBase64(this.certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:NameIDFormat>${escapeText(format)}</md:NameIDFormat>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${sso}"/>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${sso}"/>` +
      `</md:IDPSSODescriptor></md:EntityDescriptor>`
    );
  }
}
