import { randomBytes, randomUUID } from 'node:crypto';
import type { SetupUser } from '../setup.js';
import type { Tenant } from '../tenant.js';
import { ScimClient, Semaphore, type ScimConnection } from './client.js';
import { SCIM_CLIENT_DEFAULTS } from './defaults.js';
import { ENGINES } from './engines/index.js';

/** Where a directory user stands with the app, as the vendor's console would show it. */
export interface Link {
  /** The vendor's own id for the user (Okta `00u…`, Entra object id, OneLogin numeric id). */
  vendorId: string;
  /** The SP's SCIM id once the user is provisioned or matched. */
  scimId?: string;
  /** Directory status: Okta ACTIVE / SUSPENDED / DEPROVISIONED; Entra soft and hard delete. */
  status: 'active' | 'suspended' | 'deactivated' | 'soft-deleted' | 'hard-deleted';
  /** Whether the app (SCIM) has last been told the user is active. */
  pushedActive?: boolean;
  /** Okta: how the user is assigned to the app, individually (`USER`, the default) or through a group. */
  scope?: 'USER' | 'GROUP';
}

export interface ScimOptions {
  /** Okta: how profile updates are sent; AIW integrations always PUT. */
  oktaUpdate?: 'put' | 'patch';
  /** OneLogin "When users are deleted in OneLogin…": Suspend (the seeds' choice) or Delete. */
  oneloginDeleteAction?: 'suspend' | 'delete';
  /** Entra: the `aadOptscim062020` flag on the Tenant URL (lower-case ops, boolean active, value objects). */
  aadOptscim062020?: boolean;
  /**
   * The provisioning actions enabled in the console (Okta "To App": Create Users, Update User
   * Attributes, Deactivate Users; Entra "Target Object Actions"); default all three.
   */
  actions?: ('create' | 'update' | 'deactivate')[];
  /** Entra: minutes between provisioning cycles. */
  entraCycleMinutes?: number;
  concurrency?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
}

const USER_AGENTS: Record<string, string> = {
  okta: 'Okta SCIM Client 1.0.0',
  onelogin: 'OneLogin SCIM',
  entra: 'Microsoft.AAD.Provisioning/1.0',
  google: 'Google-Auto-Provisioning',
};

/** One tenant's provisioning state: connection, links to SCIM resources, a job queue and a transcript. */
export class TenantScim {
  connection: ScimConnection | undefined;
  options: ScimOptions = {};
  readonly links = new Map<string, Link>();
  readonly groups = new Map<string, string>();
  /** Okta: groups assigned to the app, highest priority first, with the app attribute values each gives. */
  readonly groupAssignments = new Map<string, Record<string, unknown>>();
  readonly client: ScimClient;
  /** Okta management API token (`Authorization: SSWS …`). */
  readonly apiToken = randomBytes(18).toString('base64url');
  /** Entra's engine clock, movable by tests. */
  clockOffsetMs = 0;
  nextCycleAt: number;
  cycles = 0;
  /** Entra's "Stop provisioning": scheduled cycles wait until provisioning is started again. */
  stopped = false;
  private pending = 0;
  private idle: (() => void)[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  readonly failures: { at: string; job: string; error: string }[] = [];

  constructor(readonly tenant: Tenant) {
    const o = this.options;
    // A setup file may carry the connection, as the console's Provisioning tab does.
    const fromSetup = tenant.setup.scim;
    if (fromSetup) {
      const token = fromSetup.token ?? (fromSetup.tokenEnv ? process.env[fromSetup.tokenEnv] : undefined);
      if (token) this.connection = { baseUrl: fromSetup.baseUrl, token };
      Object.assign(o, fromSetup.options ?? {});
    }
    this.client = new ScimClient(
      () => this.connection,
      USER_AGENTS[tenant.profile.id] ?? 'SCIM client',
      new Semaphore(o.concurrency ?? SCIM_CLIENT_DEFAULTS.concurrency),
      {
        get maxAttempts() {
          return o.maxAttempts ?? SCIM_CLIENT_DEFAULTS.maxAttempts;
        },
        get retryBaseMs() {
          return o.retryBaseMs ?? SCIM_CLIENT_DEFAULTS.retryBaseMs;
        },
      },
    );
    this.nextCycleAt = Date.now() + this.cycleMs();
  }

  get vendor(): string {
    return this.tenant.profile.id;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Whether the console has this provisioning action enabled. */
  enabled(action: 'create' | 'update' | 'deactivate'): boolean {
    return this.options.actions === undefined || this.options.actions.includes(action);
  }

  cycleMs(): number {
    return (this.options.entraCycleMinutes ?? SCIM_CLIENT_DEFAULTS.entraCycleMs / 60_000) * 60_000;
  }

  users(): SetupUser[] {
    return this.tenant.setup.users;
  }

  user(login: string): SetupUser | undefined {
    return this.tenant.user(login);
  }

  link(user: SetupUser): Link {
    const k = user.login.toLowerCase();
    let l = this.links.get(k);
    if (!l) {
      l = { vendorId: ENGINES[this.vendor]?.newUserId(user) ?? randomUUID(), status: 'active' };
      this.links.set(k, l);
    }
    return l;
  }

  /** Runs jobs one after another (the vendor's provisioning queue); requests inside a job share the concurrency limit. */
  enqueue<T>(name: string, job: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.chain.then(async () => {
      this.client.action = name;
      try {
        return await job();
      } finally {
        if (--this.pending === 0) for (const r of this.idle.splice(0)) r();
      }
    });
    this.chain = run.catch((e: unknown) => {
      this.failures.push({ at: new Date().toISOString(), job: name, error: (e as Error).message });
    });
    return run;
  }

  /** Resolves when the queue is empty, or after `timeoutMs`; true when it drained. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}

const registry = new WeakMap<Tenant, TenantScim>();

/** Whether the tenant's provisioning state exists yet. */
export const hasScimState = (tenant: Tenant): boolean => registry.has(tenant);

/** The provisioning state of a tenant; a tenant replaced through the admin API starts afresh. */
export function scimStateOf(tenant: Tenant): TenantScim {
  let s = registry.get(tenant);
  if (!s) {
    s = new TenantScim(tenant);
    registry.set(tenant, s);
  }
  return s;
}
