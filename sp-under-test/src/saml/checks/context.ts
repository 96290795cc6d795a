import type { Db } from '../../db/open.js';
import type { SamlSettings, Workspace } from '../../store/workspaces.js';
import type { VerifiedAssertion } from '../verified-assertion.js';

export interface Saml2User {
  name_id?: string;
  session_index?: string;
  attributes?: Record<string, string[]>;
}

/** The sign-in an accepted Response carries, read from the verified bytes only (checks/verified-login.ts). */
export interface VerifiedLogin {
  nameId: string;
  nameIdFormat: string | undefined;
  /** Attribute values by Attribute Name, in document order. */
  attributes: Record<string, string[]>;
  sessionIndex: string | undefined;
  assertionId: string | undefined;
}

/** What the ACS knows while it checks one SAML Response, filled in as the checks run. */
export interface AcsContext {
  db: Db;
  now: Date;
  workspace: Workspace;
  settings: SamlSettings;
  spEntityId: string;
  acsUrl: string;
  clockSkewMs: number;
  maxResponseBytes: number;
  allowSha1: boolean;
  requestMaxAgeMs: number;
  /** The SP's own key pair: saml2-js decrypts EncryptedAssertions with its private key. */
  keyPair?: { privateKeyPem: string; certificatePem: string };
  body: Record<string, unknown>;
  xml?: string;
  doc?: Document;
  saml2User?: Saml2User;
  verified?: VerifiedAssertion;
  /** The request this response answers, when it answers one. */
  inResponseTo?: string;
  nameId?: string;
  nameIdFormat?: string;
  assertionId?: string;
  assertionExpiresAt?: Date;
  /** Set by the last step: all the route may read of the Response. */
  login?: VerifiedLogin;
}

export type AcsCheck = (ctx: AcsContext) => void | Promise<void>;

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`ACS check order is wrong: ${what} is not known yet`);
  return value;
}
