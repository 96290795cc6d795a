import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadSetupFile,
  setRoleAttributes,
  startIdp,
  type RunningIdp,
  type TenantSetup,
} from '../../../mock-idp/src/index.js';
import { HarnessError } from '../errors.js';
import { httpExchange } from '../http-exchange.js';
import { FIXTURES_DIR, PROJECT_ROOT } from '../paths.js';
import type { IdpId, ScenarioUser } from '../scenario/types.js';
import { expectOk, requestJson } from './clients.js';

/** What the attack catalogue says of an armed mutation's effect (mock-idp/src/attacks/README.md). */
export interface ArmedMutation {
  /** The IdP's signed assertion for the user stays in the message, untouched: signing the user in from it alone is no exploit. */
  signedAssertionKept: boolean;
  /** Signing in the person the whole signed text of a value names is no exploit (a comment splits it for naive readers). */
  wholeSignedTextAllowed: boolean;
}

export interface TenantInfo {
  tenant: string;
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  initUrl: string;
  /** Where a person starts IdP-initiated Single Logout (`/:tenant/logout`). */
  logoutUrl?: string;
  /** The certificate the tenant signs with (PEM). */
  certificatePem?: string;
}

/** What one run changes in a tenant setup file: its own tenant name, the target's SAML endpoints, extra users. */
export interface RunTenantSpec {
  tenant: string;
  keepTenant?: boolean;
  acsUrl: string;
  audience: string;
  users?: ScenarioUser[];
  /** The app's NameID source and format, in the vendor's syntax. */
  nameId?: { source?: string; format?: 'unspecified' | 'emailAddress' | 'persistent' | 'transient' };
  /** The SP's Single Logout endpoint: the app's SLO URL (SAML Profiles 4.4). */
  sloUrl?: string;
  /** The SP's signing certificate (PEM): signed AuthnRequests and logout messages are verified with it. */
  spCertificatePem?: string;
  /** The app requires signed AuthnRequests and logout messages. */
  wantAuthnRequestsSigned?: boolean;
  /** The IdP signs users in whatever provisioning did to them. */
  ssoAfterDeprovisioning?: boolean;
  sloBinding?: 'redirect' | 'post';
  /** How the tenant's metadata lists its signing key (mock IdP setup `app.metadataKey`). */
  metadataKey?: 'signing' | 'no-use' | 'encryption-only' | 'none' | 'expired';
}

/** The mock IdP, driven over its admin API. One process serves every run, each in its own tenant. */
export class MockIdp {
  private constructor(private readonly idp: RunningIdp) {}

  static async start(listen: { host?: string; port?: number; publicUrl?: string } = {}): Promise<MockIdp> {
    return new MockIdp(await startIdp(listen));
  }

  get url(): string {
    return this.idp.url;
  }

  /**
   * Loads a tenant setup file and adapts it for one run: its tenant name, the target's ACS and
   * audience, and, when the target has them, its SLO URL and signing certificate; extra users.
   */
  setupFor(idp: IdpId, setupPath: string | undefined, run: RunTenantSpec): TenantSetup {
    const file = setupPath ? join(PROJECT_ROOT, setupPath) : join(FIXTURES_DIR, 'setups', `${idp}.yaml`);
    let setup: TenantSetup;
    try {
      setup = loadSetupFile(file);
    } catch (e) {
      throw new HarnessError('ERR_SCENARIO_REFERENCE', `tenant setup ${file}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const users = [...setup.users];
    for (const { roles, ...u } of run.users ?? []) {
      const i = users.findIndex((x) => x.login.toLowerCase() === u.login.toLowerCase());
      const known = i >= 0 ? users[i] : undefined;
      // Profile attributes are added to (or replace) the directory user's, one by one.
      const merged = {
        password: 'Harness-Test-1!',
        ...known,
        ...u,
        ...(known?.profile && u.profile ? { profile: { ...known.profile, ...u.profile } } : {}),
      };
      if (roles) setRoleAttributes(setup, merged, roles);
      if (i >= 0) users[i] = merged;
      else users.push(merged);
    }
    return {
      ...setup,
      tenant: run.keepTenant ? setup.tenant : run.tenant,
      app: {
        ...setup.app,
        ssoUrl: run.acsUrl,
        audience: run.audience,
        ...(run.nameId ? { nameId: { ...setup.app.nameId, ...run.nameId } } : {}),
        ...(run.sloUrl ? { sloUrl: run.sloUrl } : {}),
        ...(run.spCertificatePem ? { spCertificatePem: run.spCertificatePem } : {}),
        ...(run.wantAuthnRequestsSigned !== undefined
          ? { wantAuthnRequestsSigned: run.wantAuthnRequestsSigned }
          : {}),
        ...(run.sloBinding ? { sloBinding: run.sloBinding } : {}),
        ...(run.ssoAfterDeprovisioning ? { ssoAfterDeprovisioning: true } : {}),
        ...(run.metadataKey ? { metadataKey: run.metadataKey } : {}),
      },
      users,
    };
  }

  async putTenant(setup: TenantSetup): Promise<TenantInfo> {
    return expectOk<TenantInfo>(
      'mock IdP admin API',
      'PUT',
      `${this.idp.url}/api/admin/tenants/${setup.tenant}`,
      this.idp.adminToken,
      setup,
    );
  }

  /**
   * Arms a mutation of the attack catalogue for the tenant's next response (a logout mutation: its
   * next IdP logout, naming `victim`); returns what the catalogue says of its effect.
   */
  async armMutation(tenant: string, mutation: string, victim?: string): Promise<ArmedMutation> {
    const url = `${this.idp.url}/api/admin/tenants/${tenant}/next-mutation`;
    const r = await requestJson<{
      error?: { message?: string };
      signedAssertionKept?: boolean;
      wholeSignedTextAllowed?: boolean;
    }>('mock IdP admin API', 'PUT', url, this.idp.adminToken, { mutation, ...(victim ? { victim } : {}) });
    if (r.status === 404 && /mutation/i.test(r.body?.error?.message ?? '')) {
      throw new HarnessError('ERR_SCENARIO_REFERENCE', `the attack catalogue has no ${mutation}`);
    }
    if (r.status === 409) {
      throw new MutationPrecondition(
        `${mutation} cannot be armed: ${r.body?.error?.message ?? 'precondition'}`,
      );
    }
    if (r.status >= 400)
      throw new HarnessError('ERR_IDP', `PUT ${url} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return {
      signedAssertionKept: r.body?.signedAssertionKept === true,
      wholeSignedTextAllowed: r.body?.wholeSignedTextAllowed === true,
    };
  }

  /** Calls the tenant's SCIM provisioning admin API (`/api/admin/tenants/:tenant/scim…`); 5xx answers throw. */
  scimAdmin<T>(
    tenant: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    return requestJson<T>(
      'mock IdP SCIM admin API',
      method,
      `${this.idp.url}/api/admin/tenants/${tenant}/scim${path}`,
      this.idp.adminToken,
      body,
      120_000,
    );
  }

  async removeTenant(tenant: string): Promise<void> {
    await httpExchange(`${this.idp.url}/api/admin/tenants/${tenant}`, {
      method: 'DELETE',
      token: this.idp.adminToken,
    }).catch(() => undefined);
  }

  async metadata(info: TenantInfo): Promise<string> {
    const res = await fetch(info.metadataUrl);
    if (!res.ok) throw new HarnessError('ERR_IDP', `metadata ${info.metadataUrl} answered ${res.status}`);
    return res.text();
  }

  close(): Promise<void> {
    return this.idp.close();
  }
}

export const readText = (p: string) => readFileSync(p, 'utf8');

/** The tenant lacks what a mutation needs (an SP certificate to encrypt for, an earlier response …). */
export class MutationPrecondition extends Error {
  override readonly name = 'MutationPrecondition';
}
