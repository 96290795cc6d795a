import type { ProvisioningEngine } from './engine.js';
import { entraEngine } from './entra.js';
import { oktaEngine } from './okta.js';
import { oneloginEngine } from './onelogin.js';

/** One provisioning engine per vendor profile. Google Workspace does not SCIM-provision custom SAML apps. */
export const ENGINES: Record<string, ProvisioningEngine> = {
  okta: oktaEngine,
  onelogin: oneloginEngine,
  entra: entraEngine,
};
