import type { IdpId } from '../scenario/types.js';
import type { SpMemory } from './sp-memory.js';
import type { MailCatcher } from './mail-catcher.js';
import type { MailRecogniser } from './mail-kinds.js';
import type { Observer } from './observers/observer.js';
import type { OutcomeRecogniser } from './outcomes.js';
import type { PageMap } from './pages.js';
import type { SignedInReader } from './signed-in.js';
import type { SloUrls } from './sp-metadata.js';
import type { TargetCapabilities } from './capabilities.js';

/** What a run needs to know about the SP it tests. */
export interface RunTarget {
  /** Base URL of the SP's pages. */
  baseUrl: string;
  workspace: string;
  spEntityId: string;
  acsUrl: string;
  /** The URL a person opens to sign in (SP-initiated) when a step names no page. */
  loginUrl: string;
  /** The SP's pages scenarios name (env/pages.ts), as absolute URLs. */
  pages: PageMap;
  /** How an IdP-initiated sign-in names a deep link in RelayState: its path (default) or its whole URL. */
  relayState?: 'path' | 'url';
  /** The SP's Single Logout endpoints per binding, where the IdP sends LogoutRequests and LogoutResponses; absent when unknown. */
  sloUrls?: SloUrls;
  /** The URL a person opens to sign out everywhere (SP-initiated Single Logout); absent when unknown. */
  logoutUrl?: string;
  /** The certificate the SP signs its AuthnRequests and logout messages with (PEM); absent when unknown. */
  signingCertificatePem?: string;
  /** Where the SP's state is read (env/observers/); null when nowhere: such checks are not applicable. */
  observer: Observer | null;
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
  /** Who the page (or, where the target says so, a request in the same session) shows signed in (env/signed-in.ts). */
  signedIn: SignedInReader;
  /** Recognises the SP's outcomes on a page (env/outcomes.ts); absent: the target recognises none. */
  outcome?: OutcomeRecogniser;
  /**
   * The code a refusal page of the SP shows, read by the target's own recogniser; absent when
   * the target cannot recognise one (then expect.refused grades the effect only).
   */
  refusalCode?(page: { html: string }): string | undefined;
  /** Calls the SP's admin API (as the reference SP's, sp-under-test/README.md) and returns the JSON answer; absent when the target has none. */
  admin?(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Adds another workspace of the same organisation to this run's SP; returns the run seen from it. */
  addWorkspace?(spec: WorkspaceSpec): Promise<RunTarget>;
  /** The memory of the process the SP runs in, where the harness can read it (the embedded SP); absent when it cannot. */
  memory?: SpMemory;
  /** The mail the SP sent, caught over SMTP by the harness; absent when the harness cannot see it. */
  mail?: MailCatcher;
  /** Recognises what the SP's mail is for (env/mail-kinds.ts); absent: the target recognises no kind. */
  mailKind?: MailRecogniser;
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
  /** The run's IdP profile; fills {idp} in a target file's URLs. */
  idp: IdpId;
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
  /** What the target offers, for deciding before a run which cases apply (runner/applicability.ts); absent: decided while running. */
  readonly capabilities?: TargetCapabilities;
  close(): Promise<void>;
}
