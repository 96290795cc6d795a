import type { ResponseInput } from '../profiles/profile.js';
import type { MetadataKey } from '../setup.js';
import type { SigningKey } from '../xmldsig/sign.js';

/** Preconditions a scenario or a tester must arrange for a mutation to be the attack it names. */
export interface MutationNeeds {
  /** The SP must refuse unsolicited responses (IdP-initiated login off). */
  unsolicitedRefused?: boolean;
  /** The SP's signature policy must refuse RSA-SHA1. */
  sha1Refused?: boolean;
  /** An earlier sign-in through the same tenant must have delivered a response the SP consumed. */
  consumedResponse?: boolean;
  /** The tenant must know the SP's certificate, to encrypt an assertion for the SP. */
  spCertificate?: boolean;
  /** The tenant's metadata must list its signing key this way (setup `app.metadataKey`) when the SP is configured. */
  metadataKey?: MetadataKey;
}

/** What a mutation can use to write its hostile response. */
export interface MutationContext {
  /** What the tenant would have sent for this sign-in, before any mutation. */
  input: ResponseInput;
  /**
   * Writes a response the way the tenant's vendor profile does, after `adjust` changed its
   * input: the result is well-formed and validly signed by construction.
   */
  build(adjust?: (input: ResponseInput) => ResponseInput): string;
  /** A key pair the SP does not trust. */
  untrustedKey(): SigningKey;
  /** The SAMLResponse form value this tenant delivered last, if any. */
  previous: string | undefined;
  /** The SP certificate the tenant encrypts assertions for, when the setup has one. */
  spCertificatePem: string | undefined;
  /** The tenant's IdP metadata (an EntityDescriptor), as its metadata URL serves it. */
  metadataXml(): string;
}

/** The hostile message: the SAMLResponse form value, and the XML inside it when there is one. */
export interface MutatedResponse {
  samlResponse: string;
  xml?: string;
}

/** What a logout-message mutation can use: the attacker's IdP session and the victim it names. */
export interface LogoutMutationContext {
  /** Builds a response for a user of the tenant, as the IdP signs it for a sign-in (see MutationContext.build). */
  respondTo(login: string, adjust?: (input: ResponseInput) => ResponseInput): string;
  /** The login whose IdP session starts the logout: the attacker. */
  attacker: string;
  /** The NameID the IdP would send for the victim, whose SP sessions the message tries to end. */
  victimNameId: string;
  nameIdFormat: string;
  issuer: string;
  /** The SP's Single Logout URL the message goes to. */
  destination: string;
  now: Date;
}

/** One entry of the attack catalogue: a mutation of the response to a sign-in (the default channel), or of a logout message. */
export type CatalogueEntry = Mutation | LogoutMutation;

/** An IdP-initiated LogoutRequest made hostile; it goes to the SP's SLO URL, over HTTP-POST unless it says otherwise. */
export type LogoutMutation = PostLogoutMutation | RedirectLogoutMutation;

interface LogoutMutationBase extends Omit<Mutation, 'mutate' | 'channel'> {
  channel: 'logout';
}

/** Posted to the SP's SLO URL (SAML Bindings 3.5). */
export interface PostLogoutMutation extends LogoutMutationBase {
  binding?: 'post';
  /** The LogoutRequest XML to post (its signature, if any, is whatever the mutation carries). */
  mutate(ctx: LogoutMutationContext): string;
}

/**
 * Sent to the SP's SLO URL over HTTP-Redirect (SAML Bindings 3.4.4.1): the IdP base64-encodes
 * the DEFLATE data into SAMLRequest and signs the query with its key, as it signs its own.
 */
export interface RedirectLogoutMutation extends LogoutMutationBase {
  binding: 'redirect';
  /** The raw DEFLATE data of SAMLRequest. */
  mutate(ctx: LogoutMutationContext): Buffer;
}

/** One entry of the attack catalogue. */
export interface Mutation {
  /** `acs` (default): the response to the next sign-in; see LogoutMutation for the other channel. */
  channel?: 'acs';
  /** Stable case ID, `saml.reject.<name>`. */
  id: string;
  title: string;
  /** The rules it tests: SAML Core / Profiles / Bindings / Security Considerations sections. */
  spec: readonly string[];
  /**
   * The published advisories (CVE or GHSA IDs) of the SP flaw this mutation reproduces, so a
   * report can say which of them an SP is not vulnerable to.
   */
  advisories?: readonly string[];
  /** What a conforming SP does with it. */
  conformingSp: string;
  /**
   * The IdP's signed assertion for the user is still in the message, untouched and valid on its
   * own; the attack is content outside its signature (a wrapping copy, an unsigned assertion or
   * attribute beside it). An SP that consumes only that signed assertion, with its signed
   * values, is not exploited (SAML Profiles 4.1.4.2): refusing is conforming, and so is that.
   */
  signedAssertionKept?: boolean;
  /**
   * The whole signed text of a value names someone (markup inside splits it for a naive reader):
   * an SP that reads the whole signed text and signs that person in is not exploited; only a
   * truncated reading (the victim) is.
   */
  wholeSignedTextAllowed?: boolean;
  needs?: MutationNeeds;
  mutate(ctx: MutationContext): MutatedResponse;
}
