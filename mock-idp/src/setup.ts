import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import schema from '../setup.schema.json' with { type: 'json' };
import { IdpError } from './errors.js';
import type { DataEncryption } from './encryption/encrypt-assertion.js';
import type { NameIdFormat, Quirks, SigningChoice, VendorId } from './profiles/profile.js';

export interface SetupUser {
  login: string;
  password: string;
  assigned?: boolean;
  profile?: Record<string, unknown>;
  appUser?: Record<string, unknown>;
  groups?: string[];
}

export interface GroupAttributeStatement {
  name: string;
  /** Okta's group filter: which of the user's groups are sent. */
  filter?: { type: 'startsWith' | 'equals' | 'contains' | 'regex'; value: string };
  /** Google's group membership mapping: only these groups are sent. */
  groups?: string[];
}

export interface TenantSetup {
  tenant: string;
  vendor: VendorId;
  orgId?: string;
  signingKey?: { keyFile?: string; certFile?: string; privateKeyPem?: string; certificatePem?: string };
  app: {
    name?: string;
    ssoUrl: string;
    audience: string;
    recipient?: string;
    destination?: string;
    defaultRelayState?: string;
    nameId?: { source?: string; format?: NameIdFormat };
    signing?: Partial<SigningChoice>;
    /** Encrypt the Assertion for the SP (its certificate inline or as a file next to the setup). */
    encryption?: { algorithm: DataEncryption; certificatePem?: string; certFile?: string };
    attributeStatements?: { name: string; value: string; includeInAssertion?: boolean }[];
    /** Attributes carrying the user's groups, filtered (Okta) or limited to chosen groups (Google). */
    groupAttributeStatements?: GroupAttributeStatement[];
    /** Entra: send the default claim set (default true). */
    includeDefaultClaims?: boolean;
    quirks?: Partial<Quirks>;
    /** Reject AuthnRequests and LogoutRequests that are not signed with the SP certificate. */
    wantAuthnRequestsSigned?: boolean;
    /** Sign in users whatever provisioning did to them (see setup.schema.json). */
    ssoAfterDeprovisioning?: boolean;
    /** The SP's signing certificate, for signed AuthnRequests and logout messages. */
    spCertificatePem?: string;
    spCertFile?: string;
    /** The SP's Single Logout endpoint (HTTP-POST or HTTP-Redirect, see sloBinding). */
    sloUrl?: string;
    sloBinding?: 'post' | 'redirect';
    /** How the metadata lists the signing key (the trust-fails-open cases of the attack catalogue). */
    metadataKey?: MetadataKey;
  };
  /** The SCIM provisioning connection (mock-idp/src/scim/state.ts ScimOptions for `options`). */
  scim?: { baseUrl: string; token?: string; tokenEnv?: string; options?: Record<string, unknown> };
  users: SetupUser[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSetup = ajv.compile<TenantSetup>(schema);

/**
 * How the IdP metadata lists the signing key (SAML Metadata 2.4.1.1): with use="signing", with
 * no use (signing and encryption both), for encryption only, not at all, or with a certificate
 * of the key that has expired.
 */
export type MetadataKey = 'signing' | 'no-use' | 'encryption-only' | 'none' | 'expired';

/** Checks a setup object against setup.schema.json; throws IdpError ERR_BAD_SETUP naming each problem. */
export function checkSetup(value: unknown, where = 'setup'): TenantSetup {
  if (!validateSetup(value)) {
    const problems = (validateSetup.errors ?? []).map(
      (e) => `${where}${e.instancePath || ''}: ${e.message ?? 'invalid'}`,
    );
    throw new IdpError('ERR_BAD_SETUP', problems.join('; '));
  }
  return value;
}

/** Loads a tenant setup file, resolving key files relative to it into inline PEM. */
export function loadSetupFile(file: string): TenantSetup {
  const setup = checkSetup(parse(readFileSync(file, 'utf8')), file);
  const base = dirname(file);
  const k = setup.signingKey;
  if (k?.keyFile && k.certFile) {
    setup.signingKey = {
      privateKeyPem: readFileSync(resolve(base, k.keyFile), 'utf8'),
      certificatePem: readFileSync(resolve(base, k.certFile), 'utf8'),
    };
  }
  const enc = setup.app.encryption;
  if (enc?.certFile && !enc.certificatePem) {
    setup.app.encryption = {
      algorithm: enc.algorithm,
      certificatePem: readFileSync(resolve(base, enc.certFile), 'utf8'),
    };
  }
  if (setup.app.spCertFile && !setup.app.spCertificatePem) {
    const { spCertFile, ...app } = setup.app;
    setup.app = { ...app, spCertificatePem: readFileSync(resolve(base, spCertFile), 'utf8') };
  }
  return setup;
}
