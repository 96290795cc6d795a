import { HarnessError } from '../errors.js';
import type { TenantSetup } from '../../../mock-idp/src/index.js';
import type { CapturedTraffic, Driver, PageState } from '../drivers/driver.js';
import type { ObservedMember } from '../env/observers/observer.js';
import type { ArmedMutation, MockIdp, TenantInfo } from '../env/idp.js';
import type { RunTarget } from '../env/target.js';
import type { CheckResult, MailEvidence } from '../model.js';
import type { IdpId } from '../scenario/types.js';
import type { MemoryEvidence } from './attack-memory.js';

/** How the hostile message reached the SP, and what the SP answered: the evidence that an attack was delivered. */
export interface AttackDelivery {
  /** The SP endpoint it was sent to (the ACS, or an SLO endpoint for a logout attack). */
  url: string;
  method: 'GET' | 'POST';
  param: 'SAMLResponse' | 'SAMLRequest';
  /** The decoded message's size, in bytes. */
  messageBytes: number;
  /** The SP's answer; absent when none came (a hang or a dropped connection). */
  answer?: {
    status: number;
    durationMs?: number;
    /** Where the SP sent the user agent next (a redirect). */
    location?: string;
    /** The start of the page the SP answered with, when it answered with one. */
    excerpt?: string;
  };
}

/** What the SP looked like before a hostile sign-in; null parts when the target has no observer API. */
export interface AttackBaseline {
  mutation: string;
  user: string;
  /** A logout attack: the person whose sessions the hostile LogoutRequest names. */
  victim?: string;
  members: ObservedMember[] | null;
  /** Live sessions per email. */
  sessions: Record<string, number> | null;
  /** How long the SP took to answer the hostile message (the ACS POST), as the driver measured it. */
  answeredInMs?: number;
  /** Why the SP never answered (timeout, connection reset), when a time-bound refusal is expected. */
  unanswered?: string;
  /** How the SP's memory grew while it answered, in a denial-of-service case (steps/attack-memory.ts). */
  memory?: MemoryEvidence;
  /** The hostile message as it reached the SP, and the SP's answer. */
  delivery?: AttackDelivery;
  /** The decoded hostile message, as delivered. */
  message?: string;
  /** The IdP's signed assertion for the user is in the message untouched (ArmedMutation). */
  signedAssertionKept?: boolean;
  /** Signing in the person the whole signed text of a value names is no exploit (ArmedMutation). */
  wholeSignedTextAllowed?: boolean;
}

/** Everything a step can use while one case runs against one IdP. */
export interface RunContext {
  runId: string;
  idp: IdpId;
  driver: Driver;
  target: RunTarget;
  tenant: TenantInfo;
  setup: TenantSetup;
  screenshotDir: string;
  /** How long one step may take; a step that bounds part of its own work (expect.refused.within) stays inside it. */
  stepTimeoutMs?: number;
  /** Values steps and checks record for the evidence of the current step. */
  observed: Record<string, unknown>;
  /** The mock IdP, for tenants of further workspaces (given.workspaces). */
  mockIdp?: MockIdp;
  /** Further workspaces of the run (given.workspaces), by slug. */
  workspaces?: Record<string, { target: RunTarget; tenant: TenantInfo }>;
  /** Values read from the SP (an emailed code …), filled into later paths as {name}. */
  vars?: Record<string, string>;
  /** Passwords of the members the case created, by email. */
  passwords?: Record<string, string>;
  /** Mail the current step opened, for its evidence. */
  mail?: MailEvidence[];
  /** Work to undo when the run ends (IdP tenants of further workspaces). */
  cleanups?: (() => Promise<void>)[];
  /** Arms a mutation of the mock IdP's attack catalogue for this case's tenant (steps/attack.ts). */
  armMutation?: (mutation: string, victim?: string) => Promise<ArmedMutation | void>;
  /** The SP's state just before the last attack step, which expect.refused compares against. */
  attack?: AttackBaseline;
  /** The verdict of each check of the current step, as checkExpectations records them. */
  checks?: CheckResult[];
  /** Traffic of the current step that a check has already drained from the driver (see stepTraffic). */
  heldTraffic?: CapturedTraffic;
}

const joinTraffic = (a: CapturedTraffic | undefined, b: CapturedTraffic): CapturedTraffic => ({
  http: [...(a?.http ?? []), ...b.http],
  samlResponses: [...(a?.samlResponses ?? []), ...b.samlResponses],
  samlRequests: [...(a?.samlRequests ?? []), ...b.samlRequests],
  samlMessages: [...(a?.samlMessages ?? []), ...(b.samlMessages ?? [])],
});

/**
 * The traffic of the current step so far, for checks that read it before the step ends. It
 * stays the step's: the runner's takeStepTraffic hands all of it to the step's evidence.
 */
export function stepTraffic(ctx: RunContext): CapturedTraffic {
  ctx.heldTraffic = joinTraffic(ctx.heldTraffic, ctx.driver.drainTraffic());
  return ctx.heldTraffic;
}

/** Hands over everything the current step sent and received, and starts the next step afresh. */
export function takeStepTraffic(ctx: RunContext): CapturedTraffic {
  const all = stepTraffic(ctx);
  ctx.heldTraffic = undefined;
  return all;
}

/** Replaces {workspace} in a path taken from a scenario. */
export const fill = (ctx: RunContext, s: string): string =>
  s
    .replaceAll('{workspace}', ctx.target.workspace)
    .replace(/\{([a-z][a-zA-Z0-9]*)\}/g, (m, k: string) => ctx.vars?.[k] ?? m);

const endpointOf = (url: string) => {
  const u = new URL(url);
  return u.origin + u.pathname;
};

/** Whether `url` belongs to the target: its origin, or one of its SAML endpoints (which may live elsewhere). */
export function isTargetUrl(ctx: RunContext, url: string): boolean {
  if (new URL(url).origin === new URL(ctx.target.baseUrl).origin) return true;
  const endpoints = [ctx.target.acsUrl, ...Object.values(ctx.target.sloUrls ?? {})].filter(
    (u): u is string => typeof u === 'string',
  );
  return endpoints.some((u) => endpointOf(u) === endpointOf(url));
}

/**
 * The page, unless the user agent was sent to the target and it did not answer: the target not
 * answering is the environment breaking (or, for an attack bounded in time, the SP failing to
 * answer), not a place the SP sent the person.
 */
export function reachedPage(ctx: RunContext, page: PageState): PageState {
  if (page.unreached && isTargetUrl(ctx, page.url))
    throw new HarnessError('ERR_TARGET_UNREACHABLE', page.unreached);
  return page;
}

export function lastPage(ctx: RunContext): PageState {
  const page = ctx.driver.current();
  if (!page) throw new Error('no page has been opened yet in this case');
  return reachedPage(ctx, page);
}
