/** The result model. The JSON report is this object; every reporter renders it. */
import type { GradedBy } from './env/observers/observer.js';

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

export interface StepResult {
  name: string;
  status: Status;
  durationMs: number;
  evidence: Evidence;
  message?: string;
  /** Stable code: of the harness error when the status is `error`, of the check when `failed` (harness/src/errors.ts). */
  code?: string;
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
  steps: StepResult[];
  message?: string;
}

export interface Summary {
  passed: number;
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
  const s: Summary = { passed: 0, failed: 0, skipped: 0, errors: 0, notApplicable: 0 };
  for (const r of results) {
    if (r.status === 'passed') s.passed++;
    else if (r.status === 'failed') s.failed++;
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

export const emptyEvidence = (): Evidence => ({ http: [], scim: [], mail: [] });
