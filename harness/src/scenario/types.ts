import type { Outcome } from '../env/outcomes.js';
import type { MailKind } from '../env/mail-kinds.js';
import type { CustomRoleSpec } from '../env/target.js';

/** A scenario file as the schema (scenarios/scenario.schema.json) describes it. */
export type IdpId = 'okta' | 'onelogin' | 'entra' | 'google';
export const ALL_IDPS: readonly IdpId[] = ['okta', 'onelogin', 'entra', 'google'];
export type DriverId = 'http' | 'browser';

export interface ScenarioUser {
  login: string;
  password?: string;
  assigned?: boolean;
  profile?: Record<string, unknown>;
  appUser?: Record<string, unknown>;
  groups?: string[];
  /** Role attributes (workato_role, workato_role_test, workato_role_prod), set where the vendor keeps them. */
  roles?: Record<string, string>;
}

export interface PageExpectation {
  /** This person is signed in (the target's signedIn reader). */
  signedInAs?: string;
  /** Nobody is signed in. */
  nobodySignedIn?: true;
  /** The page shows this outcome, as the target recognises it (env/outcomes.ts). */
  shows?: Outcome;
  /** The page does not show this outcome. */
  notShows?: Outcome;
  /** SP-specific: visible text. */
  contains?: string;
  notContains?: string;
  status?: number;
  /** SP-specific: the reference SP's data-error-code. */
  errorCode?: string;
  /** The page is this named page of the target (env/pages.ts): `home`, `deepLink`, `signedOut`, `environment:TEST`. */
  at?: string;
  /** The page's path and query, literally (a layout only one SP has). */
  path?: string;
  /** The person ends on the SP (the origin of the target's baseUrl), not sent to another site. */
  staysOnSp?: true;
}

export interface Expectations {
  page?: PageExpectation;
  member?: {
    email: string;
    name?: string;
    status?: string;
    roles?: Record<string, string>;
    /** The member's groups, as a set (order ignored). */
    groups?: string[];
    /** `saml` (SSO required) or `password`. */
    authMethod?: string;
  };
  /** Mail the SP sent to an address (read from the harness's SMTP catcher). */
  mails?: MailSelection & { count?: number };
  noMember?: string;
  /** The SP refused the last attack step: no member, session or role change; a refusal page; within a time, if given. */
  refused?: { errorCode?: string; within?: string };
  members?: { count?: number };
  sessions?: { count?: number; for?: string };
  audit?: { action: string; source?: string; subject?: string };
  /** The recipes and connections of the workspace (read through the SP's admin API). */
  assets?: { count?: number; owner?: string; names?: string[]; ownerActive?: boolean };
  /** Requests the last `scim` step's engine sent to the SP, each matched by method, path prefix, body fragment, status. */
  scimSent?: { method: string; path?: string; bodyContains?: string; status?: number }[];
  /** The answer to the last `scimRequest` step. */
  /** SAML messages that crossed the driver in this step, matched in order (steps/saml-messages.ts). */
  samlMessages?: SamlMessageExpectation[];
  scimResponse?: {
    status?: number;
    /** For errors: the SCIM Error schema with this scimType and `status` as a string. */
    scimType?: string;
    /** The answer carries the SCIM Error schema with `status` as a string. */
    errorSchema?: boolean;
    /** Values at dotted paths of the JSON body (`Resources.0.userName`, `meta.version`). */
    body?: Record<string, unknown>;
    /** Header values (case-insensitive names); `true` means present. */
    headers?: Record<string, string | boolean>;
  };
}

/** One SAML message a step's traffic must (or, with `absent`, must not) contain. */
export interface SamlMessageExpectation {
  type: 'AuthnRequest' | 'Response' | 'LogoutRequest' | 'LogoutResponse';
  from?: 'sp' | 'idp';
  binding?: 'redirect' | 'post';
  /** A query signature (HTTP-Redirect) or an enveloped one on the message (HTTP-POST). */
  signed?: boolean;
  /** The top-level StatusCode: `Success` or the full URN. */
  status?: string;
  sessionIndex?: boolean;
  nameId?: string;
  /** Its InResponseTo names a request that crossed earlier in the step. */
  answersPrevious?: boolean;
  absent?: boolean;
}

/** A console action of the IdP's SCIM provisioning engine (mock-idp/src/scim/engines/). */
export interface ScimStep {
  action:
    | 'test-connection'
    | 'import'
    | 'push'
    | 'assign'
    | 'update'
    | 'deactivate'
    | 'reactivate'
    | 'group-push'
    | 'assign-group'
    | 'convert-assignments'
    | 'reapply-mappings'
    | 'cycle'
    | 'provision-on-demand'
    | 'clock'
    | 'disable';
  user?: string;
  users?: string[];
  how?: 'suspend' | 'deactivate' | 'unassign' | 'delete' | 'soft-delete' | 'hard-delete' | 'block';
  group?: string;
  profile?: Record<string, unknown>;
  appUser?: Record<string, unknown>;
  /** Role attributes (workato_role, workato_role_test, workato_role_prod), set where the vendor keeps them. */
  roles?: Record<string, string>;
  /** Entra: provision on demand now (default) or leave the change to the next cycle. */
  sync?: 'now' | 'next-cycle';
  /** For `clock`: how far to move the engine's clock, e.g. 40m. */
  advance?: string;
  /** The SP must refuse the action (for example after SCIM was disabled). */
  expectRefused?: boolean;
}

/**
 * Which of the SP's mail to an address a step means: by what it is for (`kind`, recognised per
 * target, env/mail-kinds.ts) and the workspace it is about, or by words of the subject (`subject`,
 * the SP's own wording: for a scenario written for one SP).
 */
export interface MailSelection {
  to: string;
  kind?: MailKind;
  workspace?: string;
  subject?: string;
}

export interface Step {
  name?: string;
  login?: {
    user: string;
    password?: string;
    flow?: 'sp-initiated' | 'idp-initiated';
    /** A named page of the target to start at (SP-initiated) or to carry as RelayState (IdP-initiated). */
    page?: string;
    path?: string;
    fresh?: boolean;
    /** The IdP must refuse the sign-in with an error page. */
    expectRefused?: boolean;
  };
  /** Single Logout through the driver (SAML Profiles 4.4), started at the SP or at the IdP. */
  logout?: { flow?: 'sp-initiated' | 'idp-initiated' };
  /** Opens a named page of the target, or a literal path on it. */
  visit?: { page?: string; path?: string };
  /** The workspace (slug, from given.workspaces) the step's actions and observer checks act on; default the main one. */
  workspace?: string;
  /** Signs in with email and password on the SP's own sign-in page (identifier first). */
  passwordLogin?: { email: string; password?: string; page?: string; path?: string; fresh?: boolean };
  /** Opens the newest mail to an address; optionally follows its link in the driver and reads its code. */
  openMail?: MailSelection & { followLink?: boolean; readCode?: boolean };
  /** Switches the signed-in account to another workspace through the SP's switcher page. */
  switchWorkspace?: string;
  /** Moves or freezes the SP's clock through its admin API. */
  clock?: { advance?: string; back?: string; freezeAt?: string };
  /** Arms a catalogue mutation (mock-idp/src/attacks/) for the next response, then signs `user` in afresh. */
  attack?: {
    mutation: string;
    user: string;
    flow?: 'sp-initiated' | 'idp-initiated';
    page?: string;
    path?: string;
    /** A logout mutation: whose sessions the hostile LogoutRequest names; `user` is the attacker. */
    victim?: string;
  };
  /** Triggers an action of the IdP's SCIM provisioning engine; its traffic becomes the step's evidence.scim. */
  scim?: ScimStep;
  /** Sends one request to the SP's SCIM endpoint (the path after the base URL; {name} fills from saved values). */
  scimRequest?: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    path: string;
    body?: unknown;
    /** A raw body, sent as is (malformed JSON, a wrong content type). */
    rawBody?: string;
    headers?: Record<string, string>;
    /** `token` (default), `none`, or `wrong`. */
    auth?: 'token' | 'none' | 'wrong';
    /** Saves values of the JSON answer for later steps: {name: dotted.path}. */
    save?: Record<string, string>;
  };
  /**
   * One Microsoft Graph call to the Entra tenant (seed 004's walkthrough), sent to the mock IdP's
   * Graph API; {name} fills from saved values, in the path, body strings and body keys.
   */
  graph?: {
    method: 'GET' | 'POST' | 'PATCH';
    /** After `/v1.0`, e.g. /applications or /users/{userId}?$select={roleAttribute}. */
    path: string;
    body?: unknown;
    /** The status Graph must answer (default 201 for POST, 204 for PATCH, 200 for GET). */
    status?: number;
    /** Values at dotted paths of the answer that must match. */
    answer?: Record<string, unknown>;
    /** Saves values of the answer for later steps: {name: dotted.path}. */
    save?: Record<string, string>;
  };
  /** A member creates a recipe or connection in the workspace. */
  asset?: { kind: 'recipe' | 'connection'; name: string; owner: string; folder?: string };
  expect?: Expectations;
}

/** A type alias (not an interface) so that it is assignable to Record<string, unknown>. */
export type GivenSaml = {
  jit?: boolean;
  jitEnvironments?: string[];
  allowIdpInitiated?: boolean;
  /** The workspace's signature policy: whether RSA-SHA1 signatures are accepted (default: the SP's). */
  allowSha1?: boolean;
  /** The SP signs its AuthnRequests (SAML Bindings 3.4.4.1). */
  signAuthnRequests?: boolean;
  groupSync?: boolean;
  enforceSamlFor?: 'all' | 'all-except-admins' | 'selected';
};

export interface GivenMember {
  email: string;
  name?: string;
  roles?: Record<string, string>;
  password?: string;
  authMethod?: 'saml' | 'password';
  groups?: string[];
}

export interface GivenWorkspace {
  slug: string;
  name?: string;
  environments?: string[];
  customRoles?: CustomRoleSpec[];
  defaultRoles?: Record<string, string>;
  saml?: GivenSaml;
  authentication?: Record<string, ('saml' | 'password')[]>;
  members?: GivenMember[];
}

export interface Scenario {
  case: string;
  title: string;
  requirements: string[];
  /** The case talks to the SP alone: one run, reported under NO_IDP (model.ts). */
  idpIndependent?: true;
  /** The case tests the SP's roles or environments: not applicable to an SP without them (target settings.roles: false). */
  testsRoles?: true;
  idps?: IdpId[];
  notApplicable?: Partial<Record<IdpId, string>>;
  drivers?: DriverId[];
  given?: {
    workspace?: {
      environments?: string[];
      customRoles?: CustomRoleSpec[];
      saml?: GivenSaml;
      /** Sign-in methods each environment accepts, e.g. {DEV: [password], TEST: [saml]}. */
      authentication?: Record<string, ('saml' | 'password')[]>;
      /** Each environment's default role for new members (seed 001), e.g. {PROD: NoAccess}. */
      defaultRoles?: Record<string, string>;
      /** Members the workspace admin created before the case starts. */
      members?: GivenMember[];
    };
    /** More workspaces of the same organisation, each trusting its own app in the same IdP directory. */
    workspaces?: GivenWorkspace[];
    /** The IdP's SCIM connection options (mock-idp ScimOptions, e.g. aadOptscim062020, oktaUpdate). */
    scim?: { options?: Record<string, unknown> };
    idp?: {
      setups?: Partial<Record<IdpId, string>>;
      users?: ScenarioUser[];
      /** The app's NameID per IdP profile: its source in the vendor's syntax, and its format. */
      nameId?: Partial<
        Record<
          IdpId,
          { source?: string; format?: 'unspecified' | 'emailAddress' | 'persistent' | 'transient' }
        >
      >;
      /** SAML attributes the IdP admin did not configure: their attribute statements are left out. */
      omitAttributes?: string[];
      /** The IdP app requires AuthnRequests and logout messages signed with the target's signing certificate. */
      wantAuthnRequestsSigned?: boolean;
      /** The IdP still signs in users that provisioning removed: the SP alone has to keep them out. */
      ssoAfterDeprovisioning?: boolean;
      /** How the IdP sends logout messages to the SP's SLO URL. */
      sloBinding?: 'redirect' | 'post';
      /** How the IdP metadata the SP is configured from lists the signing key (trust-fails-open cases). */
      metadataKey?: 'signing' | 'no-use' | 'encryption-only' | 'none' | 'expired';
    };
  };
  steps: Step[];
}

export interface LoadedScenario {
  /** Path relative to the project root, as reports show it. */
  file: string;
  scenario: Scenario;
}
