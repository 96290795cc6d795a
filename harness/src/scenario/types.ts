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
}

export interface PageExpectation {
  signedInAs?: string;
  contains?: string;
  notContains?: string;
  status?: number;
  errorCode?: string;
  path?: string;
}

export interface Expectations {
  page?: PageExpectation;
  member?: { email: string; name?: string; status?: string; roles?: Record<string, string> };
  noMember?: string;
  /** The SP refused the last attack step: no member, session or role change; a refusal page. */
  refused?: { errorCode?: string };
  members?: { count?: number };
  sessions?: { count?: number; for?: string };
  audit?: { action: string; source?: string; subject?: string };
}

export interface Step {
  name?: string;
  login?: {
    user: string;
    password?: string;
    flow?: 'sp-initiated' | 'idp-initiated';
    path?: string;
    fresh?: boolean;
  };
  visit?: { path: string };
  /** Arms a catalogue mutation (mock-idp/src/attacks/) for the next response, then signs `user` in afresh. */
  attack?: { mutation: string; user: string; flow?: 'sp-initiated' | 'idp-initiated'; path?: string };
  expect?: Expectations;
}

export interface Scenario {
  case: string;
  title: string;
  requirements: string[];
  idps?: IdpId[];
  notApplicable?: Partial<Record<IdpId, string>>;
  drivers?: DriverId[];
  given?: {
    workspace?: {
      environments?: string[];
      customRoles?: string[];
      saml?: {
        jit?: boolean;
        jitEnvironments?: string[];
        allowIdpInitiated?: boolean;
        /** The workspace's signature policy: whether RSA-SHA1 signatures are accepted (default: the SP's). */
        allowSha1?: boolean;
      };
    };
    idp?: { setups?: Partial<Record<IdpId, string>>; users?: ScenarioUser[] };
  };
  steps: Step[];
}

export interface LoadedScenario {
  /** Path relative to the project root, as reports show it. */
  file: string;
  scenario: Scenario;
}
