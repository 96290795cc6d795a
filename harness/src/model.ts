/** The result model. The JSON report is this object; every reporter renders it. */
import type { GradedBy, ObserverKind } from './env/observers/observer.js';

export type Status = 'passed' | 'failed' | 'skipped' | 'error' | 'not-applicable';

/**
 * The `idp` of a result whose case talks to the SP alone (`idpIndependent`, as the `scim.rfc.*`
 * protocol checks): its verdict holds whatever the IdP, so reports show it in a column of its own.
 */
export const NO_IDP = 'none';

/** How reports name a result's IdP: the profile, or "no IdP" for an IdP-independent case. */
export const idpLabel = (idp: string): string => (idp === NO_IDP ? 'no IdP' : idp);

export interface HttpExchange {
  method: string;
  url: string;
  status: number;
  location?: string;
  /** From sending the request to the answer's headers, in ms, when the driver measured it. */
  durationMs?: number;
}

/**
 * One SCIM request and its answer as they crossed the wire: sent by the mock IdP's provisioning
 * engine (a `scim` step) or by the harness itself (a `scimRequest` step).
 */
export interface ScimExchange {
  at: string;
  method: string;
  url: string;
  /** Headers as sent, the bearer token masked (engine requests only). */
  requestHeaders?: Record<string, string>;
  requestBody?: unknown;
  /** The HTTP status; 0 when no answer came (see `error`). */
  status: number;
  /** The parsed JSON answer, or the start of a body that is not JSON. */
  responseBody?: unknown;
  /** Engine requests only: the console action that sent it, its try, its position in the tenant's transcript and its duration. */
  action?: string;
  attempt?: number;
  seq?: number;
  durationMs?: number;
  /** Why the request got no answer (connection refused, timeout …). */
  error?: string;
}

/** A mail the SP sent that a step opened, as the mail catcher received it. */
export interface MailEvidence {
  id: number;
  receivedAt: string;
  from: string;
  /** Envelope recipients, lower-cased. */
  to: string[];
  subject: string;
  text: string;
  /** Every http(s) link in the mail, in order. */
  links: string[];
}

export interface Evidence {
  http: HttpExchange[];
  /** The decoded SAML Response delivered in this step, byte for byte as it went over the wire. */
  saml?: string;
  /** Decoded SAML requests (AuthnRequest, LogoutRequest) seen in this step. */
  samlRequests?: string[];
  scim: ScimExchange[];
  mail: MailEvidence[];
  screenshot?: string;
  /** What a check looked at: the observer API answers, page excerpts. */
  observed?: unknown;
}

/**
 * What graded one check: the SP's state, read through an observer of that kind, or `page`:
 * only what the SP answered (its pages and HTTP answers, the SAML and SCIM messages, its mail).
 */
export type CheckGrading = ObserverKind | 'page';

/** The verdict of one expectation of a step (`expect.page`, `expect.member` …). Every check of a step runs. */
export interface CheckResult {
  /** The expectation's key in the scenario: `page`, `member`, `refused` … */
  check: string;
  status: 'passed' | 'failed' | 'not-applicable' | 'error';
  /** What graded it (passed and failed checks). */
  gradedBy?: CheckGrading;
  /** Why it failed, was not applicable or broke. */
  message?: string;
  /** The ERR_CHECK_… code of a failed check, the harness code of an error. */
  code?: string;
  /** What the check looked at (the part of the step's `evidence.observed` it recorded). */
  observed?: unknown;
}

export interface StepResult {
  name: string;
  /**
   * The worst of its checks (failed, then error, then passed; not-applicable when every check
   * is), or of its action when that did not get to the checks.
   */
  status: Status;
  durationMs: number;
  evidence: Evidence;
  message?: string;
  /** Stable code: of the harness error when the status is `error`, of the check when `failed` (harness/src/errors.ts). */
  code?: string;
  /** Each expectation of the step with its own verdict, in the order written; absent when the step checks nothing. */
  checks?: CheckResult[];
}

/**
 * How a passed result was graded: `state` when at least one of its checks read the SP's state
 * through an observer and passed, `page-only` when every passed check looked only at what the
 * SP answered (pages, HTTP, SAML and SCIM messages, mail).
 */
export type Grading = 'state' | 'page-only';

/** Counts of a result's checks by verdict; `onState` of the passed ones were graded on state. */
export interface CheckCounts {
  passed: number;
  onState: number;
  failed: number;
  errors: number;
  notApplicable: number;
}

export interface CaseResult {
  case: string;
  title?: string;
  scenario: string;
  idp: string;
  driver: string;
  variant: Record<string, string>;
  status: Status;
  durationMs: number;
  requirements: string[];
  /**
   * What read the SP's state for this result's checks: `reference-api` (an observer API like the
   * reference SP's), `scim` (the SP's own SCIM server), `mapping` (the SP's endpoints mapped in the
   * target file), or `none` when no check read state (graded on pages and messages only).
   */
  observer?: GradedBy;
  /** Of a passed result: graded on the SP's state, or on the page only (see Grading). */
  grading?: Grading;
  /** Its checks by verdict; a passed result says here how many of its checks were not applicable. */
  checks?: CheckCounts;
  steps: StepResult[];
  message?: string;
}

export interface Summary {
  /** Passed results, of which passedOnState graded the SP's state and passedPageOnly only its pages. */
  passed: number;
  passedOnState: number;
  passedPageOnly: number;
  failed: number;
  skipped: number;
  errors: number;
  notApplicable: number;
}

export interface Report {
  version: 1;
  startedAt: string;
  durationMs: number;
  summary: Summary;
  results: CaseResult[];
  shard?: { current: number; total: number };
  /** The --seed the run used, when given: reruns with it repeat run IDs. */
  seed?: string;
  /** Shards merged into this report by `merge-reports`. */
  mergedFrom?: { shards: number; files: string[] };
}

export function summarize(results: readonly CaseResult[]): Summary {
  const s: Summary = {
    passed: 0,
    passedOnState: 0,
    passedPageOnly: 0,
    failed: 0,
    skipped: 0,
    errors: 0,
    notApplicable: 0,
  };
  for (const r of results) {
    if (r.status === 'passed') {
      s.passed++;
      if (r.grading === 'state') s.passedOnState++;
      else s.passedPageOnly++;
    } else if (r.status === 'failed') s.failed++;
    else if (r.status === 'skipped') s.skipped++;
    else if (r.status === 'error') s.errors++;
    else s.notApplicable++;
  }
  return s;
}

/** No result passed or failed: every run was not applicable, skipped or an error, or there was none. */
export const nothingGraded = (summary: Summary): boolean => summary.passed + summary.failed === 0;

/**
 * Exit code contract: 0 all met, 1 the target failed a check, 2 the harness or input was at
 * fault, or the run graded nothing (no result passed or failed).
 */
export function exitCodeFor(summary: Summary): 0 | 1 | 2 {
  if (summary.errors > 0 || nothingGraded(summary)) return 2;
  if (summary.failed > 0) return 1;
  return 0;
}

/** What a passed result was graded on: the state when any of its passed checks read it through an observer. */
export function gradingOf(steps: readonly StepResult[]): Grading {
  const onState = steps.some((s) =>
    s.checks?.some((c) => c.status === 'passed' && c.gradedBy !== undefined && c.gradedBy !== 'page'),
  );
  return onState ? 'state' : 'page-only';
}

/** Counts the checks of a result's steps by verdict. */
export function countChecks(steps: readonly StepResult[]): CheckCounts {
  const n: CheckCounts = { passed: 0, onState: 0, failed: 0, errors: 0, notApplicable: 0 };
  for (const c of steps.flatMap((s) => s.checks ?? [])) {
    if (c.status === 'passed') {
      n.passed++;
      if (c.gradedBy !== undefined && c.gradedBy !== 'page') n.onState++;
    } else if (c.status === 'failed') n.failed++;
    else if (c.status === 'error') n.errors++;
    else n.notApplicable++;
  }
  return n;
}

/** How reports name what a passed result was graded on. */
export const gradingLabel = (r: Pick<CaseResult, 'grading' | 'observer'>): string =>
  r.grading === 'state'
    ? `on state${r.observer && r.observer !== 'none' ? ` through ${r.observer}` : ''}`
    : 'page only';

/** ", 2 of 7 checks not applicable" for a result some of whose checks did not apply; else "". */
export function notApplicableChecksText(r: Pick<CaseResult, 'checks'>): string {
  const c = r.checks;
  if (!c?.notApplicable) return '';
  const all = c.passed + c.failed + c.errors + c.notApplicable;
  return `, ${c.notApplicable} of ${all} check${all === 1 ? '' : 's'} not applicable`;
}

/** "12 passed (9 on state, 3 page only)": how summaries count passes. */
export const passedText = (s: Summary): string =>
  `${s.passed} passed (${s.passedOnState} on state, ${s.passedPageOnly} page only)`;

export const emptyEvidence = (): Evidence => ({ http: [], scim: [], mail: [] });
