import type { Observable, Observer, ObserverKind } from '../env/observers/observer.js';
import { CheckFailed, NotApplicable, describeError, describeFailure, errorCode } from '../errors.js';
import type { CheckResult } from '../model.js';
import type { Expectations } from '../scenario/types.js';
import { readOutcome } from '../env/read-outcome.js';
import { describeReading, showsSignedIn } from '../env/signed-in.js';
import { checkRefused } from './attack-grading.js';
import { fill, lastPage, type RunContext } from './context.js';
import { countMail, describeMailSelection } from './mail.js';
import { isAtPage } from './pages.js';
import { checkSamlMessages } from './saml-messages.js';
import { checkAssets, checkScimResponse, checkScimSent } from './scim.js';

/** The target's observer, when it can show `what` (every part of it); otherwise the check is not applicable. */
const needObserver = (ctx: RunContext, ...what: Observable[]): Observer => {
  const o = ctx.target.observer;
  if (!o)
    throw new NotApplicable(
      "this check reads the SP's state, and the target has no observer (observer in a target file)",
    );
  for (const w of what) {
    const why = o.cannotSee(w);
    if (why) throw new NotApplicable(why);
  }
  return o;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Each expectation kind is one check; they run in the order written in the scenario. */
export const CHECKS: {
  [K in keyof Expectations]-?: (ctx: RunContext, e: NonNullable<Expectations[K]>) => Promise<void>;
} = {
  async page(ctx, e) {
    const page = lastPage(ctx);
    ctx.observed.page = { url: page.url, status: page.status, text: page.text.slice(0, 500) };
    // What the target cannot tell: these parts are not applicable once the others have passed.
    const unseen: string[] = [];
    if (e.staysOnSp) {
      const sp = new URL(ctx.target.baseUrl).origin;
      const ended = new URL(page.url).origin;
      if (ended !== sp)
        throw new CheckFailed(
          'ERR_CHECK_PAGE_OFF_SITE',
          `the person was sent off the SP, to ${page.url}${page.unreached ? ' (not reachable here)' : ''}`,
          sp,
          ended,
        );
    }
    if (e.status !== undefined && page.status !== e.status)
      throw new CheckFailed('ERR_CHECK_PAGE_STATUS', `page status is ${page.status}`, e.status, page.status);
    if (e.signedInAs !== undefined || e.nobodySignedIn) {
      const reading = await ctx.target.signedIn(page, ctx.driver);
      ctx.observed.signedIn = reading;
      if (reading.kind === 'unknown') unseen.push(`who is signed in cannot be told: ${reading.reason}`);
      else if (e.signedInAs !== undefined && !showsSignedIn(reading, e.signedInAs))
        throw new CheckFailed(
          'ERR_CHECK_NOT_SIGNED_IN',
          `${e.signedInAs} is not signed in: ${describeReading(reading)}`,
          e.signedInAs,
          reading.kind === 'user' ? reading.email : 'nobody',
        );
      else if (e.nobodySignedIn && reading.kind === 'user')
        throw new CheckFailed(
          'ERR_CHECK_SIGNED_IN',
          `nobody should be signed in: ${describeReading(reading)}`,
          'nobody',
          reading.email,
        );
    }
    for (const [outcome, wanted] of [
      [e.shows, true],
      [e.notShows, false],
    ] as const) {
      if (outcome === undefined) continue;
      const r = readOutcome(ctx, outcome, page);
      ctx.observed.outcomes = { ...(ctx.observed.outcomes as object), [outcome]: r };
      if ('unknown' in r) unseen.push(r.unknown);
      else if (r.shown !== wanted)
        throw new CheckFailed(
          'ERR_CHECK_PAGE_OUTCOME',
          `the page ${wanted ? 'does not show' : 'shows'} ${outcome}: ${r.evidence}`,
          wanted ? outcome : `not ${outcome}`,
          r.shown ? outcome : `not ${outcome}`,
        );
    }
    if (e.contains && !page.text.includes(fill(ctx, e.contains)))
      throw new CheckFailed('ERR_CHECK_PAGE_TEXT', `the page does not contain "${e.contains}"`);
    if (e.notContains && page.text.includes(fill(ctx, e.notContains)))
      throw new CheckFailed('ERR_CHECK_PAGE_TEXT', `the page contains "${e.notContains}"`);
    if (e.errorCode && !page.html.includes(`data-error-code="${e.errorCode}"`)) {
      throw new CheckFailed(
        'ERR_CHECK_PAGE_ERROR_CODE',
        `the page does not show error ${e.errorCode} ("${page.text.slice(0, 160)}")`,
      );
    }
    if (e.at) {
      const at = isAtPage(ctx, page.url, e.at);
      if (!at.ok)
        throw new CheckFailed(
          'ERR_CHECK_PAGE_PATH',
          `the page is not the ${e.at} page`,
          at.expected,
          page.url,
        );
    }
    if (e.path) {
      const actual = new URL(page.url).pathname + new URL(page.url).search;
      if (actual !== fill(ctx, e.path))
        throw new CheckFailed('ERR_CHECK_PAGE_PATH', `the page is at ${actual}`, fill(ctx, e.path), actual);
    }
    if (unseen.length)
      throw new NotApplicable(`the rest of the page matches; not seen: ${unseen.join('; ')}`);
  },

  async member(ctx, e) {
    const observer = needObserver(ctx);
    ctx.observed.observer = observer.kind;
    // The parts of the expectation this observer cannot see; the others are graded.
    const unseen: string[] = [];
    const sees = (part: Observable, wanted: unknown): boolean => {
      if (wanted === undefined) return false;
      const why = observer.cannotSee(part);
      if (why) unseen.push(why);
      return !why;
    };
    const m = await observer.member(e.email);
    ctx.observed.member = m ?? null;
    if (!m) {
      if (e.status === 'deleted' && observer.cannotSee('deleted'))
        throw new NotApplicable(observer.cannotSee('deleted')!);
      const all = await observer.members();
      throw new CheckFailed(
        'ERR_CHECK_MEMBER_MISSING',
        `no member ${e.email} (members: ${all.map((x) => x.email).join(', ') || 'none'})`,
      );
    }
    if (sees('name', e.name) && m.name !== e.name)
      throw new CheckFailed('ERR_CHECK_MEMBER_STATE', `member name is "${m.name}"`, e.name, m.name);
    if (sees(e.status === 'deleted' ? 'deleted' : 'status', e.status) && m.status !== e.status)
      throw new CheckFailed('ERR_CHECK_MEMBER_STATE', `member status is ${m.status}`, e.status, m.status);
    if (sees('roles', e.roles) && !same(sortKeys(m.roles), sortKeys(e.roles!))) {
      throw new CheckFailed(
        'ERR_CHECK_MEMBER_STATE',
        `member roles are ${JSON.stringify(m.roles)}`,
        e.roles,
        m.roles,
      );
    }
    if (sees('groups', e.groups) && !same([...(m.groups ?? [])].sort(), [...e.groups!].sort())) {
      throw new CheckFailed(
        'ERR_CHECK_MEMBER_STATE',
        `member groups are ${JSON.stringify(m.groups ?? null)}`,
        e.groups,
        m.groups,
      );
    }
    if (sees('authMethod', e.authMethod) && m.authMethod !== e.authMethod)
      throw new CheckFailed(
        'ERR_CHECK_MEMBER_STATE',
        `member auth method is ${m.authMethod}`,
        e.authMethod,
        m.authMethod,
      );
    if (unseen.length)
      throw new NotApplicable(
        `member ${e.email} exists and matches in what could be seen; not seen: ${unseen.join('; ')}`,
      );
  },

  refused: checkRefused,

  async noMember(ctx, email) {
    const observer = needObserver(ctx);
    ctx.observed.observer = observer.kind;
    const m = await observer.member(email);
    ctx.observed.member = m ?? null;
    if (m) throw new CheckFailed('ERR_CHECK_MEMBER_PRESENT', `member ${email} exists`);
  },

  async mails(ctx, e) {
    const mails = await countMail(ctx, e, e.count);
    ctx.observed.mails = mails.map((m) => ({ subject: m.subject, receivedAt: m.receivedAt }));
    if (e.count !== undefined && mails.length !== e.count)
      throw new CheckFailed(
        'ERR_CHECK_MAIL',
        `the SP sent ${mails.length} mails to ${e.to} that are: ${describeMailSelection(e)}`,
        e.count,
        mails.length,
      );
  },

  async members(ctx, e) {
    const observer = needObserver(ctx);
    ctx.observed.observer = observer.kind;
    const members = await observer.members();
    ctx.observed.members = members.map((m) => m.email);
    if (e.count !== undefined && members.length !== e.count) {
      throw new CheckFailed(
        'ERR_CHECK_MEMBER_COUNT',
        `the workspace has ${members.length} members`,
        e.count,
        members.length,
      );
    }
  },

  async sessions(ctx, e) {
    const observer = needObserver(ctx, 'sessions');
    ctx.observed.observer = observer.kind;
    const sessions = await observer.sessions();
    const mine = e.for ? sessions.filter((s) => s.email.toLowerCase() === e.for!.toLowerCase()) : sessions;
    ctx.observed.sessions = mine;
    if (e.count !== undefined && mine.length !== e.count) {
      throw new CheckFailed(
        'ERR_CHECK_SESSION_COUNT',
        `${mine.length} live sessions${e.for ? ` for ${e.for}` : ''}`,
        e.count,
        mine.length,
      );
    }
  },

  async audit(ctx, e) {
    const observer = needObserver(ctx, 'audit');
    ctx.observed.observer = observer.kind;
    const events = await observer.audit();
    const hit = events.find(
      (x) =>
        x.action === e.action &&
        (e.source === undefined || x.source === e.source) &&
        (e.subject === undefined || x.subject === e.subject),
    );
    ctx.observed.audit = events.slice(-20);
    if (!hit)
      throw new CheckFailed(
        'ERR_CHECK_AUDIT_EVENT',
        `no audit event ${e.action}${e.source ? ` from ${e.source}` : ''}`,
      );
  },

  assets: (ctx, e) => checkAssets(ctx, e),

  scimSent: (ctx, e) => checkScimSent(ctx, e),

  scimResponse: (ctx, e) => checkScimResponse(ctx, e),

  samlMessages: (ctx, e) => checkSamlMessages(ctx, e),
};

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** One check's verdict from how it ended: returned (passed) or what it threw. */
function verdictOf(check: string, thrown: unknown): CheckResult {
  if (thrown === undefined) return { check, status: 'passed' };
  if (thrown instanceof CheckFailed)
    return { check, status: 'failed', message: describeFailure(thrown), code: thrown.code };
  if (thrown instanceof NotApplicable) return { check, status: 'not-applicable', message: thrown.message };
  return { check, status: 'error', message: describeError(thrown), code: errorCode(thrown) };
}

/**
 * Runs every check of a step, in the order written, each to its own verdict (ctx.checks): a
 * failed or not-applicable check does not stop the next. A check that read the SP's state
 * through an observer says so in ctx.observed.observer; the others graded the page only. Then
 * the step ends as its worst check: it throws the first failure, else the first error, else
 * (when every check was not applicable) a NotApplicable with their reasons; it returns when
 * at least one check passed and none failed or broke.
 */
export async function checkExpectations(ctx: RunContext, e: Expectations): Promise<void> {
  const checks: CheckResult[] = [];
  ctx.checks = checks;
  const thrown = new Map<CheckResult, unknown>();
  for (const key of Object.keys(e) as (keyof Expectations)[]) {
    const value = e[key];
    if (value === undefined) continue;
    const before = ctx.observed;
    ctx.observed = {};
    let failure: unknown;
    try {
      await (CHECKS[key] as (c: RunContext, v: unknown) => Promise<void>)(ctx, value);
    } catch (err) {
      failure = err ?? new Error('a check threw nothing');
    }
    const observed = ctx.observed;
    ctx.observed = { ...before, ...observed };
    const result = verdictOf(key, failure);
    if (result.status === 'passed' || result.status === 'failed')
      result.gradedBy = typeof observed.observer === 'string' ? (observed.observer as ObserverKind) : 'page';
    if (Object.keys(observed).length) result.observed = observed;
    checks.push(result);
    if (failure !== undefined) thrown.set(result, failure);
  }
  const first = (status: CheckResult['status']) => checks.find((c) => c.status === status);
  const worst = first('failed') ?? first('error');
  if (worst) throw thrown.get(worst);
  if (checks.length && checks.every((c) => c.status === 'not-applicable'))
    throw new NotApplicable(
      [...new Set(checks.map((c) => c.message))].join('; ') || 'no check of the step applies',
    );
}
