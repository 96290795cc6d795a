import { readCertificate, readSigningKey } from './certificates.js';
import { IdpError } from './errors.js';
import { expiredCertificate, signingKeyFromPem, pemToBase64 } from './keys.js';
import { profileFor } from './profiles/index.js';
import {
  NAMEID_FORMATS,
  type AttributeOut,
  type BuiltResponse,
  type Profile,
  type Quirks,
  type ResponseInput,
  type SubjectData,
  type TenantFacts,
} from './profiles/profile.js';
import type { GroupAttributeStatement, SetupUser, TenantSetup } from './setup.js';
import type { SigningKey } from './xmldsig/sign.js';
import { escapeAttr, escapeText } from './xml/element.js';
import { verifyPostSignature, verifyRedirectSignature } from './saml/message-signature.js';

/** One configured IdP tenant: its setup, vendor profile and signing key. */
export class Tenant {
  readonly profile: Profile;
  readonly key: SigningKey;
  readonly certificatePem: string;
  readonly setup: TenantSetup;
  /** What is configured but questionable, such as an expired certificate; the tenant still works. */
  readonly warnings: string[] = [];

  constructor(
    setup: TenantSetup,
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
    const now = new Date();
    const read = (text: string, what: string): string => {
      const c = readCertificate(text, what, now);
      if (c.warning) this.warnings.push(c.warning);
      return c.pem;
    };
    const own = readCertificate(pem.certificatePem, 'signingKey.certificatePem', now);
    if (own.warning) this.warnings.push(own.warning);
    readSigningKey(pem.privateKeyPem, own.x509);
    this.certificatePem = own.pem;
    this.key = signingKeyFromPem({ privateKeyPem: pem.privateKeyPem, certificatePem: own.pem });
    const app = { ...setup.app };
    if (app.spCertificatePem) app.spCertificatePem = read(app.spCertificatePem, 'app.spCertificatePem');
    if (app.encryption?.certificatePem)
      app.encryption = {
        ...app.encryption,
        certificatePem: read(app.encryption.certificatePem, 'app.encryption.certificatePem'),
      };
    this.setup = { ...setup, signingKey: { ...pem, certificatePem: own.pem }, app };
    this.checkExpressions();
  }

  private readonly signedInAt = new Map<string, Date>();

  /** Records when `login` signed in with a password; responses carry it as AuthnInstant. */
  noteSignIn(login: string, at: Date): void {
    this.signedInAt.set(login.toLowerCase(), at);
  }

  /** Evaluates every configured expression once against an empty user, so syntax errors surface at setup time. */
  private checkExpressions(): void {
    const empty: SubjectData = { profile: {}, appUser: {}, groups: [] };
    const app = this.setup.app;
    const sources: [string, string][] = [
      ...(app.attributeStatements ?? []).map((st) => [`attribute ${st.name}`, st.value] as [string, string]),
      ...(app.nameId?.source ? [['NameID source', app.nameId.source] as [string, string]] : []),
    ];
    for (const [what, expression] of sources) {
      try {
        this.profile.evaluate(expression, empty);
      } catch (e) {
        throw new IdpError('ERR_BAD_SETUP', `${what}: ${(e as Error).message}`);
      }
    }
    for (const g of app.groupAttributeStatements ?? []) {
      if (g.filter?.type !== 'regex') continue;
      try {
        new RegExp(g.filter.value);
      } catch (e) {
        throw new IdpError('ERR_BAD_SETUP', `group attribute ${g.name}: ${(e as Error).message}`);
      }
    }
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
  get sloUrl(): string {
    return `${this.baseUrl()}/${this.setup.tenant}/slo`;
  }

  user(login: string): SetupUser | undefined {
    const l = login.toLowerCase();
    return this.setup.users.find((u) => u.login.toLowerCase() === l);
  }

  subject(user: SetupUser): SubjectData {
    return {
      profile: {
        login: user.login,
        email: user.login,
        ...this.profile.directoryDefaults?.(user.login),
        ...user.profile,
      },
      appUser: user.appUser ?? {},
      groups: user.groups ?? [],
    };
  }

  get facts(): TenantFacts {
    return { entityId: this.entityId, orgId: this.setup.orgId ?? this.setup.tenant };
  }

  /** The vendor's quirk defaults with the setup's switches applied. */
  get quirks(): Quirks {
    return {
      httpsOnlyAcs: false,
      groupOverageLimit: 150,
      ...this.profile.defaultQuirks,
      ...this.setup.app.quirks,
    };
  }

  /**
   * Evaluates the app's attributes for a user: the vendor's default claims, the attribute
   * statements, then the group attribute statements. An attribute whose source is unset keeps
   * an empty value list; each profile writes or drops it the way its vendor does.
   */
  attributesFor(user: SetupUser): AttributeOut[] {
    const subject = this.subject(user);
    const app = this.setup.app;
    const out: AttributeOut[] = [];
    if (app.includeDefaultClaims !== false && this.profile.defaultAttributes) {
      out.push(...this.profile.defaultAttributes(subject, this.facts));
    }
    for (const st of app.attributeStatements ?? []) {
      if (st.includeInAssertion === false) continue;
      const v = this.profile.evaluate(st.value, subject);
      const values = v === null ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : v === '' ? [] : [v];
      const group = /^(user\.groups|roles)$/i.test(st.value.trim());
      out.push(group ? { name: st.name, values, group } : { name: st.name, values });
    }
    for (const g of app.groupAttributeStatements ?? []) {
      out.push({ name: g.name, values: subject.groups.filter((x) => groupMatches(g, x)), group: true });
    }
    return this.profile.adjustAttributes?.(out, subject, this.facts, this.quirks) ?? out;
  }

  /**
   * Checks the SP's signature on an AuthnRequest or logout message: a signature that is
   * present must verify with the SP certificate, and one is required when the app sets
   * `wantAuthnRequestsSigned` (SAML Bindings 3.4.4.1 for Redirect, 3.5.4 for POST).
   */
  checkRequestSignature(binding: 'redirect' | 'post', message: { rawQuery: string; xml: string }): void {
    const app = this.setup.app;
    const cert = app.spCertificatePem;
    if (!cert) {
      if (app.wantAuthnRequestsSigned)
        throw new IdpError('ERR_BAD_SETUP', 'wantAuthnRequestsSigned needs the SP certificate');
      return;
    }
    const signed =
      binding === 'redirect'
        ? verifyRedirectSignature(message.rawQuery, cert)
        : verifyPostSignature(message.xml, cert);
    if (!signed && app.wantAuthnRequestsSigned) {
      throw new IdpError('ERR_REQUEST_SIGNATURE', 'the request is not signed');
    }
  }

  /** Google sends users to its error page when the app's ACS URL is not https. */
  checkAcs(acsUrl: string): void {
    if (this.quirks.httpsOnlyAcs && !/^https:/i.test(acsUrl)) {
      throw new IdpError('ERR_APP_NOT_CONFIGURED_FOR_USER', `the ACS URL ${acsUrl} is not https`, 403);
    }
  }

  /** The NameID the app sends for `user`, from the configured source in the vendor's syntax. */
  nameIdFor(user: SetupUser): string {
    const source = this.setup.app.nameId?.source ?? this.profile.defaultNameIdSource ?? 'user.login';
    const value = this.profile.evaluate(source, this.subject(user));
    const nameId = Array.isArray(value) ? value[0] : value;
    if (!nameId) throw new IdpError('ERR_BAD_SETUP', `NameID source ${source} is empty for ${user.login}`);
    return nameId;
  }

  /**
   * Writes a signed SAML Response for `user`, answering `inResponseTo` when given. `adjust`
   * changes the profile's input last (the attack catalogue in src/attacks/ uses it).
   */
  respond(
    user: SetupUser,
    inResponseTo: string | undefined,
    acsUrl: string,
    now: Date,
    authnInstant?: Date,
    adjust?: (input: ResponseInput) => ResponseInput,
  ): BuiltResponse {
    const app = this.setup.app;
    const nameId = this.nameIdFor(user);
    const signedIn = authnInstant ?? this.signedInAt.get(user.login.toLowerCase());
    const blank = this.profile.blankPlaceholders;
    const enc = app.encryption;
    if (enc && !enc.certificatePem)
      throw new IdpError('ERR_BAD_SETUP', 'encryption needs the SP certificate');
    const input: ResponseInput = {
      issuer: this.entityId,
      destination: app.destination ?? acsUrl,
      recipient: app.recipient === '' ? (blank?.recipient ?? '') : (app.recipient ?? acsUrl),
      audience:
        app.audience === ''
          ? (blank?.audience ?? '')
          : (this.profile.audienceFor?.(app.audience) ?? app.audience),
      inResponseTo,
      nameId,
      nameIdFormat: app.nameId?.format ?? this.profile.defaultNameIdFormat,
      attributes: this.attributesFor(user),
      now,
      ...(signedIn ? { authnInstant: signedIn } : {}),
      signing: { ...this.profile.defaultSigning, ...app.signing },
      key: this.key,
      ...(enc?.certificatePem
        ? { encryption: { certificatePem: enc.certificatePem, data: enc.algorithm } }
        : {}),
    };
    return { ...this.profile.buildResponse(adjust ? adjust(input) : input), nameId };
  }

  private expiredCertificatePem: string | undefined;

  /** The metadata's KeyDescriptor for the signing key, as `app.metadataKey` lists it. */
  private keyDescriptor(ds: string): string {
    const how = this.setup.app.metadataKey ?? 'signing';
    if (how === 'none') return '';
    const pem =
      how === 'expired'
        ? (this.expiredCertificatePem ??= expiredCertificate({
            privateKeyPem: this.setup.signingKey!.privateKeyPem!,
            certificatePem: this.certificatePem,
          }))
        : this.certificatePem;
    const use = how === 'no-use' ? '' : ` use="${how === 'encryption-only' ? 'encryption' : 'signing'}"`;
    return (
      `<md:KeyDescriptor${use}><ds:KeyInfo xmlns:ds="${ds}"><ds:X509Data><ds:X509Certificate>` +
      `${pemToBase64(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
    );
  }

  metadataXml(): string {
    const md = 'urn:oasis:names:tc:SAML:2.0:metadata';
    const ds = 'http://www.w3.org/2000/09/xmldsig#';
    const sso = escapeAttr(this.ssoUrl);
    const slo = escapeAttr(this.sloUrl);
    const format = NAMEID_FORMATS[this.setup.app.nameId?.format ?? this.profile.defaultNameIdFormat];
    return (
      `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${md}" entityID="${escapeAttr(this.entityId)}">` +
      `<md:IDPSSODescriptor WantAuthnRequestsSigned="${this.setup.app.wantAuthnRequestsSigned ? 'true' : 'false'}" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
      this.keyDescriptor(ds) +
      (this.profile.singleLogout === false
        ? ''
        : `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${slo}"/>` +
          `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${slo}"/>`) +
      `<md:NameIDFormat>${escapeText(format)}</md:NameIDFormat>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${sso}"/>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${sso}"/>` +
      `</md:IDPSSODescriptor></md:EntityDescriptor>`
    );
  }
}

function groupMatches(g: GroupAttributeStatement, group: string): boolean {
  if (g.groups && !g.groups.includes(group)) return false;
  const f = g.filter;
  if (!f) return true;
  switch (f.type) {
    case 'startsWith':
      return group.startsWith(f.value);
    case 'equals':
      return group === f.value;
    case 'contains':
      return group.includes(f.value);
    case 'regex':
      // Okta matches the whole group name against the expression.
      return new RegExp(`^(?:${f.value})$`).test(group);
  }
}
