/**
 * Every default of the reference SP, in one place. `startSp()` and the `idp-harness sp`
 * command override these field by field.
 */
export const SP_DEFAULTS = {
  /** Interface to listen on; loopback unless told otherwise. */
  host: '127.0.0.1',
  /** 0 picks a free port. */
  port: 0,
  /** Directory for the SQLite file; a fresh temporary directory when undefined. */
  dataDir: undefined as string | undefined,
  /** Admin/observer bearer token; generated when undefined. */
  adminToken: undefined as string | undefined,
  /** Base URL others reach this SP at (entity IDs and ACS URLs derive from it); from host:port when undefined. */
  publicUrl: undefined as string | undefined,
  /** How long a signed-in session lasts. */
  sessionLifetimeMs: 8 * 60 * 60 * 1000,
  /** Tolerance for clock differences with the IdP when judging NotBefore/NotOnOrAfter. */
  clockSkewMs: 60 * 1000,
  /** Largest decoded SAMLResponse the ACS accepts. */
  maxSamlResponseBytes: 256 * 1024,
  /** Whether RSA-SHA1 signatures are accepted (OneLogin signs with SHA-1 by default). */
  allowSha1: true,
  /** How long an AuthnRequest may stay outstanding before its response is refused. */
  authnRequestMaxAgeMs: 10 * 60 * 1000,
  /** Environments a workspace gets when none are named. */
  defaultEnvironments: ['DEV'] as string[],
  /** SMTP server the SP sends mail through (nodemailer); mail is recorded as unsent when undefined. */
  smtp: undefined as { host: string; port: number } | undefined,
  /** Sender address of the SP's mail. */
  mailFrom: 'sp-under-test <no-reply@sp-under-test.invalid>',
  /** How long an SMTP delivery may take before the message is recorded as failed. */
  smtpTimeoutMs: 10_000,
  /** How long an email-verification link and code stay valid. */
  verificationLifetimeMs: 30 * 60 * 1000,
  /** How long a SCIM invitation link stays valid (seeds 002–004 "click the link in the email"). */
  invitationLifetimeMs: 7 * 24 * 60 * 60 * 1000,
  /** Wrong codes accepted for one verification before it is burnt. */
  verificationMaxAttempts: 5,
  /** Who must sign in with SAML SSO when a workspace does not say: members marked SSO-required (JIT users are). */
  enforceSamlFor: 'selected' as 'all' | 'all-except-admins' | 'selected',
  /**
   * ACS checks (names in src/saml/checks/index.ts) switched off, to show what each one stops:
   * an SP run this way is deliberately vulnerable. None by default.
   */
  disabledAcsChecks: [] as string[],
  /** PEM key pair for signing AuthnRequests and decrypting assertions; generated into dataDir when undefined. */
  keyPair: undefined as { privateKeyPem: string; certificatePem: string } | undefined,
};

export type SpOptions = Partial<typeof SP_DEFAULTS>;
export type SpConfig = typeof SP_DEFAULTS & { dataDir: string; adminToken: string };
