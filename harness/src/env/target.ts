import type { ObserverClient } from './clients.js';
import type { MailCatcher } from './mail-catcher.js';

/** What a run needs to know about the SP it tests. */
export interface RunTarget {
  /** Base URL of the SP's pages. */
  baseUrl: string;
  workspace: string;
  spEntityId: string;
  acsUrl: string;
  /** The path a person opens to sign in (SP-initiated); {workspace} already filled in. */
  homePath: string;
  /** The SP's Single Logout endpoint, where the IdP sends LogoutRequests and LogoutResponses; absent when unknown. */
  sloUrl?: string;
  /** The URL a person opens to sign out everywhere (SP-initiated Single Logout); absent when unknown. */
  logoutUrl?: string;
  /** The certificate the SP signs its AuthnRequests and logout messages with (PEM); absent when unknown. */
  signingCertificatePem?: string;
  /** Null when the target has no observer API: such checks are not applicable. */
  observer: ObserverClient | null;
  /** Points the SP at the IdP tenant (by its metadata) with the case's SAML settings. */
  configureSaml(
    metadataXml: string,
    settings: {
      jit?: boolean;
      jitEnvironments?: string[];
      allowIdpInitiated?: boolean;
      signAuthnRequests?: boolean;
    },
  ): Promise<void>;
  /** Recognises a page on which `email` is signed in. */
  isSignedInAs(page: { url: string; text: string }, email: string): boolean;
  /** Calls the SP's admin API (as the reference SP's, sp-under-test/README.md) and returns the JSON answer; absent when the target has none. */
  admin?(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Adds another workspace of the same organisation to this run's SP; returns the run seen from it. */
  addWorkspace?(spec: WorkspaceSpec): Promise<RunTarget>;
  /** The mail the SP sent, caught over SMTP by the harness; absent when the harness cannot see it. */
  mail?: MailCatcher;
  /** The SP's SCIM endpoint and bearer token, when the target has one. */
  scim?: { baseUrl: string; token: string };
  /** Keep the tenant name of the setup file, which a pre-configured SP trusts; default: a fresh tenant per run. */
  keepIdpTenant?: boolean;
  dispose(): Promise<void>;
}

/**
 * A custom role of the workspace: a name, or a name with what it may do (seed 000 "custom roles
 * with specific access to folders, or permissions to edit connections and recipes").
 */
export type CustomRoleSpec =
  | string
  | {
      name: string;
      permissions?: { folders?: string[]; recipes?: AccessLevel; connections?: AccessLevel };
    };
export type AccessLevel = 'none' | 'view' | 'edit';

/** The admin API body that creates the role. */
export const customRoleBody = (r: CustomRoleSpec) => (typeof r === 'string' ? { name: r } : r);

export interface WorkspaceSpec {
  slug: string;
  name?: string;
  environments?: string[];
  customRoles?: CustomRoleSpec[];
}

export interface RunSpec {
  runId: string;
  environments?: string[];
  customRoles?: CustomRoleSpec[];
}

/** Something that can give each run an isolated SP to test: the embedded reference SP or an external one. */
export interface Target {
  readonly kind: 'embedded' | 'external';
  readonly description: string;
  prepareRun(spec: RunSpec): Promise<RunTarget>;
  /** Where the mock IdP must listen for this target (an SP set up to trust it at a fixed address). */
  idpListen?(): { host?: string; port?: number; publicUrl?: string } | undefined;
  /** Runs share state (one workspace, one IdP tenant at a fixed address): run them one at a time, in this process. */
  readonly sharedState?: boolean;
  /** Why a case cannot run against this target (for example SAML settings it cannot be given); undefined when it can. */
  cannotRun?(spec: { saml?: Record<string, unknown> }): string | undefined;
  close(): Promise<void>;
}
