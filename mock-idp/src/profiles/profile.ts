import type { SignatureAlgorithm } from '../xmldsig/algorithms.js';
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

/** Everything a profile needs to write one SAML Response. */
export interface ResponseInput {
  issuer: string;
  destination: string;
  recipient: string;
  audience: string;
  inResponseTo: string | undefined;
  nameId: string;
  nameIdFormat: NameIdFormat;
  attributes: { name: string; values: string[] }[];
  now: Date;
  signing: SigningChoice;
  key: SigningKey;
}

export interface BuiltResponse {
  /** The Response exactly as it goes over the wire. */
  xml: string;
  responseId: string;
  assertionId: string;
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
  /** Evaluates an attribute-statement value written in the vendor console's syntax. */
  evaluate(expression: string, subject: SubjectData): string | string[] | null;
  buildResponse(input: ResponseInput): BuiltResponse;
}
