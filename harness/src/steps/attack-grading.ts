import { pageFromHtml } from '../drivers/http-driver.js';
import type { ObservedMember } from '../env/observers/observer.js';
import { describeReading, sameEmail, type SignedInReading } from '../env/signed-in.js';
import { CheckFailed, HarnessError, NotApplicable } from '../errors.js';
import type { Expectations } from '../scenario/types.js';
import { scenarioDuration } from '../duration.js';
import { observeState } from './attack.js';
import { checkMemory } from './attack-memory.js';
import {
  forgedAmong,
  messageValues,
  wholeSignedTextsOfSplitValues,
  type MessageValues,
} from './attack-values.js';
import { lastPage, type AttackBaseline, type RunContext } from './context.js';

export const HTTP_ONLY_GRADING =
  'graded on the pages only: the target has no observer, so accounts, sessions and roles were not checked';

/** What the attack was allowed to end in: nobody signed in, or (see below) one person. */
interface Allowed {
  /**
   * Who may be signed in afterwards without the attack having worked: the user, when the IdP's
   * signed assertion for them is in the message untouched (signedAssertionKept), or the attacker
   * of a logout attack, who signed in as themself before it.
   */
  user?: string;
  /** Who else may be signed in: the whole signed text of a value markup splits (wholeSignedTextAllowed). */
  signedNames: string[];
  /** The values of the hostile message, to tell forged ones from signed ones. */
  values: MessageValues;
}

/**
 * expect.refused: the hostile message of the last attack step did not work. Graded on its
 * effect, never on how the SP words its refusal:
 * - the message was delivered (the attack step made sure of it: ERR_ATTACK_NOT_DELIVERED);
 * - the page after it shows nobody signed in (nobody at all, not just the user: XSW signs in
 *   mallory.admin@…), and a fresh request to a protected page with the same cookies is not
 *   signed in either;
 * - with an observer, no member was created or changed and no session opened or ended
 *   (compared with the state just before the attack).
 * Where the IdP's signed assertion stayed in the message untouched, signing the user in from it
 * alone, with its signed values, is no exploit either; any forged identity or value is. Where a
 * page cannot be read (the target cannot tell who is signed in) and no state was read, the case
 * is not applicable, with the reason. The refusal page's code is checked when the target
 * recognises refusals (the embedded reference SP does).
 */
export async function checkRefused(ctx: RunContext, e: NonNullable<Expectations['refused']>): Promise<void> {
  const base = ctx.attack;
  if (!base) throw new HarnessError('ERR_SCENARIO_REFERENCE', 'expect.refused must follow an attack step');
  if (base.delivery) ctx.observed.delivery = base.delivery;
  if (base.unanswered) {
    ctx.observed.refusal = { mutation: base.mutation, unanswered: base.unanswered };
    throw new CheckFailed(
      'ERR_CHECK_ATTACK_UNANSWERED',
      `the SP did not answer ${base.mutation}: ${base.unanswered}`,
      e.within,
      'no answer',
    );
  }
  const page = lastPage(ctx);
  const shown = ctx.target.refusalCode?.(page);
  ctx.observed.page = { url: page.url, status: page.status, text: page.text.slice(0, 500) };
  ctx.observed.refusal = { mutation: base.mutation, status: page.status, errorCode: shown ?? null };
  const values = messageValues(base.message ?? '', ctx.tenant.certificatePem);
  const allowed: Allowed = {
    ...(base.victim ? { user: base.user } : base.signedAssertionKept ? { user: base.user } : {}),
    signedNames: base.wholeSignedTextAllowed ? wholeSignedTextsOfSplitValues(base.message ?? '', values) : [],
    values,
  };
  const ungraded: string[] = [];
  const signedIn: string[] = [];
  const readings: string[] = (ctx.observed.signedIn = []);
  const judge = (reading: SignedInReading, where: string) => {
    readings.push(`${where}: ${describeReading(reading)}`);
    if (reading.kind === 'unknown') return void ungraded.push(`${where}: ${reading.reason}`);
    if (reading.kind === 'none') return;
    const whole = allowed.signedNames.find((n) => sameEmail(reading.email, n));
    if (whole) {
      readings.push(
        `${reading.email} is the whole signed text of a value markup splits, read as the IdP signed it`,
      );
      return;
    }
    if (!allowed.user || !sameEmail(reading.email, allowed.user))
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_ACCEPTED',
        `the SP accepted ${base.mutation}: ${where} shows ${reading.email} signed in (${reading.evidence})`,
      );
    signedIn.push(reading.email);
  };
  judge(await ctx.target.signedIn(page, ctx.driver), `the page after ${base.mutation}`);

  if (base.answeredInMs !== undefined) {
    ctx.observed.answeredInMs = base.answeredInMs;
    if (e.within !== undefined && base.answeredInMs > scenarioDuration(e.within))
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_UNANSWERED',
        `the SP took ${base.answeredInMs} ms to answer ${base.mutation}`,
        e.within,
        `${base.answeredInMs}ms`,
      );
  }
  if (base.memory) ctx.observed.memory = base.memory;
  checkMemory(base.memory, base.mutation);
  if (e.errorCode !== undefined && shown !== undefined && shown !== e.errorCode)
    throw new CheckFailed('ERR_CHECK_ATTACK_REFUSAL', `the SP refused with ${shown}`, e.errorCode, shown);

  const state = await gradeState(ctx, base, allowed);
  // A logout attack leaves the attacker signed in as themself; its effect is on sessions (state).
  if (!base.victim)
    judge(await freshRequest(ctx), 'a fresh request to a protected page with the same cookies');

  const forgedValues = [...allowed.values.forged].filter((v) => !v.includes('@'));
  if (!state) {
    if (ungraded.length)
      throw new NotApplicable(
        `who is signed in after ${base.mutation} cannot be told, and the target has no observer to read its state: ${ungraded.join('; ')}`,
      );
    if (signedIn.length && !base.victim && forgedValues.length)
      throw new NotApplicable(
        `the SP signed ${base.user} in, which the IdP's signed assertion in ${base.mutation} allows, but whether it took the forged values (${forgedValues.join(', ')}) can only be seen through an observer`,
      );
  }
  ctx.observed.grading = [
    state ?? HTTP_ONLY_GRADING,
    ...(signedIn.length && !base.victim
      ? [`${base.user} was signed in from the IdP's signed assertion alone, with no forged value`]
      : []),
    ...(ungraded.length ? [`pages not graded: ${ungraded.join('; ')}`] : []),
  ].join('; ');
  if (e.errorCode !== undefined && ctx.target.refusalCode && shown === undefined && !signedIn.length)
    throw new CheckFailed(
      'ERR_CHECK_ATTACK_REFUSAL',
      `the page shows no refusal (status ${page.status}: "${page.text.slice(0, 160)}")`,
    );
}

/**
 * Requests the target's home page (or loginUrl) in the same session, without navigating and
 * without following forms: an SP that sends the request on to the IdP did not take the cookies
 * as signed in; otherwise its answer is read like a page.
 */
async function freshRequest(ctx: RunContext): Promise<SignedInReading> {
  const url = ctx.target.pages.home ?? ctx.target.loginUrl;
  const answer = await ctx.driver.request(url);
  ctx.observed.freshRequest = { url, answer: { url: answer.url, status: answer.status } };
  const idp = new URL(ctx.tenant.ssoUrl).origin;
  const origin = new URL(answer.url).origin;
  if (origin === idp)
    return { kind: 'none', evidence: `the SP sent it to the IdP to sign in (${answer.url.split('?')[0]})` };
  const sp = [ctx.target.baseUrl, ctx.target.acsUrl].map((u) => new URL(u).origin);
  if (!sp.includes(origin))
    return {
      kind: 'unknown',
      reason: `${url} answered from ${answer.url}, neither the SP (${sp[0]}) nor the IdP: the target's home page or loginUrl may not be the SP's`,
    };
  return ctx.target.signedIn(pageFromHtml(answer.url, answer.status, answer.text), ctx.driver);
}

/**
 * Compares the SP's state with the state before the attack; throws on a change the attack must
 * not cause. Returns how it graded, or undefined when the target has no observer.
 */
async function gradeState(
  ctx: RunContext,
  base: AttackBaseline,
  allowed: Allowed,
): Promise<string | undefined> {
  const after = await observeState(ctx);
  if (base.members === null || after.members === null) return undefined;
  const observer = ctx.target.observer!;
  ctx.observed.observer = observer.kind;
  const fail = (message: string, expected?: unknown, actual?: unknown) => {
    throw new CheckFailed('ERR_CHECK_ATTACK_STATE_CHANGED', message, expected, actual);
  };
  // A new or changed member may only be the user, from the signed assertion, or the person a
  // split value names as a whole (wholeSignedTextAllowed): no forged value.
  const mayChangeEmail = (email: string) =>
    !base.victim &&
    [...(allowed.user ? [allowed.user] : []), ...allowed.signedNames].some((n) => sameEmail(email, n));
  const mayChange = (m: ObservedMember) => mayChangeEmail(m.email);
  const forged = (m: ObservedMember) =>
    forgedAmong([m.email, m.name ?? '', ...Object.values(m.roles)], allowed.values);
  const before = new Map(base.members.map((m) => [m.email.toLowerCase(), m]));
  for (const m of after.members) {
    const was = before.get(m.email.toLowerCase());
    if (!was) {
      if (!mayChange(m)) fail(`the SP created member ${m.email} from ${base.mutation}`);
      else if (forged(m).length)
        fail(`the SP created ${m.email} with forged values: ${forged(m).join(', ')}`);
      continue;
    }
    if (was.status !== m.status && !mayChange(m))
      fail(`the status of ${m.email} changed`, was.status, m.status);
    if (JSON.stringify(sorted(was.roles)) !== JSON.stringify(sorted(m.roles))) {
      if (!mayChange(m)) fail(`the roles of ${m.email} changed`, was.roles, m.roles);
      if (forged(m).length) fail(`the roles of ${m.email} took forged values`, was.roles, m.roles);
    }
  }
  for (const [email, n] of Object.entries(after.sessions ?? {})) {
    if (n > (base.sessions?.[email] ?? 0) && !mayChangeEmail(email))
      fail(`the SP opened a session for ${email}`, base.sessions?.[email] ?? 0, n);
  }
  // A hostile logout message must end no one's session either.
  for (const [email, n] of Object.entries(after.sessions ? (base.sessions ?? {}) : {})) {
    if ((after.sessions?.[email] ?? 0) < n)
      fail(`the SP ended a session of ${email}`, n, after.sessions?.[email] ?? 0);
  }
  const sessions = after.sessions === null || base.sessions === null;
  return `graded on state through ${observer.description} and on the pages${sessions ? ` (sessions not observable: ${observer.cannotSee('sessions')})` : ''}`;
}

const sorted = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
