import type { ObserverClient } from './clients.js';

/** What a run needs to know about the SP it tests. */
export interface RunTarget {
  /** Base URL of the SP's pages. */
  baseUrl: string;
  workspace: string;
  spEntityId: string;
  acsUrl: string;
  /** The path a person opens to sign in (SP-initiated); {workspace} already filled in. */
  homePath: string;
  /** Null when the target has no observer API: such checks are not applicable. */
  observer: ObserverClient | null;
  /** Points the SP at the IdP tenant (by its metadata) with the case's SAML settings. */
  configureSaml(
    metadataXml: string,
    settings: { jit?: boolean; jitEnvironments?: string[]; allowIdpInitiated?: boolean },
  ): Promise<void>;
  /** Recognises a page on which `email` is signed in. */
  isSignedInAs(page: { url: string; text: string }, email: string): boolean;
  dispose(): Promise<void>;
}

export interface RunSpec {
  runId: string;
  environments?: string[];
  customRoles?: string[];
}

/** Something that can give each run an isolated SP to test: the embedded reference SP or an external one. */
export interface Target {
  readonly kind: 'embedded' | 'external';
  readonly description: string;
  prepareRun(spec: RunSpec): Promise<RunTarget>;
  close(): Promise<void>;
}
