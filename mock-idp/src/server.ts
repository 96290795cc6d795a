import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDP_DEFAULTS, type IdpOptions } from './config.js';
import { createIdpApp, type IdpState } from './http/app.js';
import type { TenantSetup } from './setup.js';
import { Tenant } from './tenant.js';

export interface RunningIdp {
  url: string;
  adminToken: string;
  tenants: Map<string, Tenant>;
  close(): Promise<void>;
}

/** Starts the mock IdP with the given tenants; more can be added through its admin API. */
export async function startIdp(options: IdpOptions & { setups?: TenantSetup[] } = {}): Promise<RunningIdp> {
  const { setups = [], ...rest } = options;
  const config = {
    ...IDP_DEFAULTS,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  } as typeof IDP_DEFAULTS;
  const adminToken = config.adminToken ?? randomBytes(24).toString('base64url');
  let baseUrl = config.publicUrl?.replace(/\/$/, '') ?? '';
  const state: IdpState = {
    tenants: new Map(),
    config: { ...config, adminToken },
    baseUrl: () => baseUrl,
    now: () => new Date(),
  };
  for (const s of setups) {
    const tenant = new Tenant(s, state.baseUrl);
    for (const w of tenant.warnings) console.warn(`mock-idp: tenant ${tenant.name}: ${w}`);
    state.tenants.set(s.tenant, tenant);
  }
  const app = createIdpApp(state);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  if (!baseUrl) baseUrl = url;
  return {
    url,
    adminToken,
    tenants: state.tenants,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
