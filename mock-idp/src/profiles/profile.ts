import type { SignatureAlgorithm } from '../xmldsig/algorithms.js';
import type { EncryptionChoice } from '../encryption/encrypt-assertion.js';
import type { SigningKey } from '../xmldsig/sign.js';

export type VendorId = 'okta' | 'onelogin' | 'entra' | 'google';

export const NAMEID_FORMATS = {
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
} as const;
export type NameIdFormat = keyof typeof NAMEID_FORMATS;

export interface SigningChoice {
  response: boolean;
  assertion: boolean;
  algorithm: SignatureAlgorithm;
}

/** One attribute as evaluated; `values` is empty when the configured source had no value. */
export interface AttributeOut {
  name: string;
  values: string[];
  /** Set on attributes that carry the user's group memberships. */
  group?: boolean;
}

/** Everything a profile needs to write one SAML Response. */
export interface ResponseInput {
  issuer: string;
  destination: string;
  recipient: string;
  audience: string;
  inResponseTo: string | undefined;
  nameId: string;
  nameIdFormat: NameIdFormat;
  /** Each profile decides how an attribute with no values is written (left out, or an empty value). */
  attributes: AttributeOut[];
  now: Date;
  /** When the user signed in at the IdP (defaults to `now`); vendors that echo the original sign-in use it. */
  authnInstant?: Date;
  signing: SigningChoice;
  key: SigningKey;
  /** Encrypts the (signed) Assertion for the SP when set. */
  encryption?: EncryptionChoice;
}

export interface BuiltResponse {
  /** The Response exactly as it goes over the wire. */
  xml: string;
  responseId: string;
  assertionId: string;
  /** The AuthnStatement's SessionIndex, which a later LogoutRequest names. */
  sessionIndex?: string;
  /** The NameID value sent (set by the tenant). */
  nameId?: string;
}

/** What the directory and the app attributes look like to a vendor's expression language. */
export interface SubjectData {
  profile: Record<string, unknown>;
  appUser: Record<string, unknown>;
  groups: string[];
}

export interface Profile {
  id: VendorId;
  /** Human name shown on the login page. */
  displayName: string;
  /** The IdP entity ID (Issuer) for a tenant with the vendor's org/app identifier. */
  issuer(orgId: string): string;
  /** The vendor's signing defaults, which a setup may override. */
  defaultSigning: SigningChoice;
  defaultNameIdFormat: NameIdFormat;
  /** The NameID source when the setup names none, in the vendor's syntax (default `user.login`). */
  defaultNameIdSource?: string;
  /** Directory fields a user has from the login alone, under the vendor's field names. */
  directoryDefaults?(login: string): Record<string, unknown>;
  /** Evaluates an attribute-statement value written in the vendor console's syntax. */
  evaluate(expression: string, subject: SubjectData): string | string[] | null;
  buildResponse(input: ResponseInput): BuiltResponse;
  /** What the vendor writes when the admin left Audience or Recipient blank (OneLogin: `{audience}`). */
  blankPlaceholders?: { audience: string; recipient: string };
  /** The Audience the vendor writes for a configured SP entity ID (Entra: `spn:` for non-URIs). */
  audienceFor?(entityId: string): string;
  /** Claims the vendor sends without being configured (Entra's default claim set), first in order. */
  defaultAttributes?(subject: SubjectData, tenant: TenantFacts): AttributeOut[];
  /** Last rewrite of the attribute list (Entra's group overage claim). */
  adjustAttributes?(
    attributes: AttributeOut[],
    subject: SubjectData,
    tenant: TenantFacts,
    quirks: Quirks,
  ): AttributeOut[];
  /** Vendor quirks a setup may switch, with the vendor's own defaults. */
  defaultQuirks?: Partial<Quirks>;
  /**
   * False for a vendor without SAML Single Logout (Google Workspace): its metadata names no
   * SingleLogoutService, it refuses logout messages as malformed, and signing out at the IdP ends
   * only the IdP's own session. Default true.
   */
  singleLogout?: boolean;
  /**
   * Keeps a directory user's role attributes (`workato_role`, `workato_role_test`,
   * `workato_role_prod`) where this vendor's console keeps them, so that the app's attribute
   * statements send them. `app` is the setup's app, whose statements name the place.
   */
  storeRoles(
    user: DirectoryUser,
    roles: Record<string, unknown>,
    app: { attributeStatements?: { value: string }[] },
  ): void;
}

/** The parts of a directory user a profile writes. */
export interface DirectoryUser {
  profile?: Record<string, unknown>;
  appUser?: Record<string, unknown>;
}

/** Tenant-level facts some vendors echo in claims. */
export interface TenantFacts {
  entityId: string;
  orgId: string;
}

/** Known vendor behaviours a tenant setup can switch on or off. */
export interface Quirks {
  /** Google: the ACS URL must be https, otherwise the user gets `app_not_configured_for_user`. */
  httpsOnlyAcs: boolean;
  /** Entra: above this many groups the groups claim is replaced by the `groups.link` overage claim. */
  groupOverageLimit: number;
}
