import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import schema from '../setup.schema.json' with { type: 'json' };
import { IdpError } from './errors.js';
import type { NameIdFormat, SigningChoice, VendorId } from './profiles/profile.js';

export interface SetupUser {
  login: string;
  password: string;
  assigned?: boolean;
  profile?: Record<string, unknown>;
  appUser?: Record<string, unknown>;
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
    attributeStatements?: { name: string; value: string }[];
  };
  users: SetupUser[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSetup = ajv.compile<TenantSetup>(schema);

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
  return setup;
}
