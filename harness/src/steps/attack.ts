import type { ObservedMember } from '../env/observers/observer.js';
import { HarnessError } from '../errors.js';
import type { Expectations, Step } from '../scenario/types.js';
import { requireDelivery } from './attack-delivery.js';
import { watchMemory, type MemoryEvidence } from './attack-memory.js';
import type { AttackBaseline, AttackDelivery, RunContext } from './context.js';
import { login } from './login.js';

const countByEmail = (sessions: { email: string }[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of sessions) {
    const k = s.email.toLowerCase();
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

/** Reads the SP's members and live sessions, or null for what the target's observer cannot show. */
export async function observeState(
  ctx: RunContext,
): Promise<{ members: ObservedMember[] | null; sessions: Record<string, number> | null }> {
  const observer = ctx.target.observer;
  if (!observer) return { members: null, sessions: null };
  const [members, sessions] = await Promise.all([
    observer.members(),
    observer.cannotSee('sessions') ? null : observer.sessions(),
  ]);
  return { members, sessions: sessions && countByEmail(sessions) };
}

/**
 * Sends the SP a hostile response: records the SP's state, arms the catalogue mutation on the
 * mock IdP tenant, and signs the user in from a new browser, so the ordinary login delivers
 * the mutated response. expect.refused grades what happened; when it bounds the time to answer
 * (denial-of-service cases), an SP that never answers is recorded for it to fail.
 */
export async function attack(
  ctx: RunContext,
  step: NonNullable<Step['attack']>,
  refused?: Expectations['refused'],
): Promise<void> {
  if (!ctx.armMutation)
    throw new HarnessError('ERR_INTERNAL', 'this run cannot arm mock IdP mutations (no IdP admin access)');
  if (step.victim) return logoutAttack(ctx, step, step.victim, refused);
  const before = await observeState(ctx);
  ctx.attack = { mutation: step.mutation, user: step.user, ...before };
  const armed = await ctx.armMutation(step.mutation);
  if (armed?.signedAssertionKept) ctx.attack.signedAssertionKept = true;
  if (armed?.wholeSignedTextAllowed) ctx.attack.wholeSignedTextAllowed = true;
  ctx.observed.mutation = step.mutation;
  const signingIn = login(ctx, {
    user: step.user,
    fresh: true,
    ...(step.flow ? { flow: step.flow } : {}),
    ...(step.path ? { path: step.path } : {}),
  });
  const acs = [ctx.target.acsUrl];
  if (!refused?.within) {
    await signingIn;
    delivered(ctx.attack, requireDelivery(ctx, step.mutation, 'SAMLResponse', acs));
    return;
  }
  await boundedAnswer(ctx, ctx.attack, signingIn, false);
  // A message that was sent and never answered was delivered: the user agent wrote it out.
  delivered(ctx.attack, requireDelivery(ctx, step.mutation, 'SAMLResponse', acs));
  timedBySp(ctx.attack);
}

/**
 * Denial of service: waits for the user agent's way to the SP and back, recording an SP that
 * never answers (for expect.refused to fail). The way may use the step's time, short of its
 * timeout. With `watch`, how the SP's memory grew meanwhile is recorded too: only where that
 * way is little more than the SP's answer (an IdP-initiated logout), not a whole sign-in, whose
 * IdP pages and user agent share the embedded SP's process.
 */
async function boundedAnswer(
  ctx: RunContext,
  base: AttackBaseline,
  work: Promise<unknown>,
  watch: boolean,
): Promise<void> {
  const memory = watch ? watchMemory(ctx.target) : SIGN_IN_NOT_WATCHED;
  try {
    if (!(await answersWithin(work, (ctx.stepTimeoutMs ?? 30_000) - 1000)))
      base.unanswered = 'no answer before the step ran out of time';
  } catch (e) {
    // An SP that hangs or drops the connection failed the case, the harness did not break.
    if (!(e instanceof HarnessError) || !UNANSWERED.has(e.code)) throw e;
    base.unanswered = e.message;
  } finally {
    base.memory = memory();
  }
}

/** What is timed is the SP's answer to the hostile message, not the user agent's whole way there. */
const timedBySp = (base: AttackBaseline) => {
  const answered = base.delivery?.answer?.durationMs;
  if (!base.unanswered && answered !== undefined) base.answeredInMs = answered;
};

/**
 * A hostile LogoutRequest naming `victim` (SAML Profiles 4.4): the attacker (`step.user`) signs in
 * from a new browser as usual, then the IdP-initiated Single Logout from that browser is the one
 * the IdP turns into the hostile message. The state before that logout is what expect.refused
 * compares with, so ending the victim's sessions counts as a change.
 */
async function logoutAttack(
  ctx: RunContext,
  step: NonNullable<Step['attack']>,
  victim: string,
  refused?: Expectations['refused'],
): Promise<void> {
  await ctx.armMutation!(step.mutation, victim);
  ctx.observed.mutation = step.mutation;
  await login(ctx, { user: step.user, fresh: true });
  const base: AttackBaseline = {
    mutation: step.mutation,
    user: step.user,
    victim,
    ...(await observeState(ctx)),
  };
  ctx.attack = base;
  if (!ctx.tenant.logoutUrl)
    throw new HarnessError('ERR_IDP', `the IdP tenant ${ctx.tenant.tenant} has no logout URL`);
  const started = performance.now();
  const leaving = ctx.driver.goto(ctx.tenant.logoutUrl);
  if (refused?.within) await boundedAnswer(ctx, base, leaving, true);
  else await leaving;
  base.answeredInMs = Math.round(performance.now() - started);
  const page = ctx.driver.current();
  ctx.observed.logout = {
    flow: 'idp-initiated',
    victim,
    ...(page ? { landedOn: { url: page.url, status: page.status } } : {}),
  };
  const slo = Object.values(ctx.target.sloUrls ?? {}).filter((u): u is string => !!u);
  delivered(base, requireDelivery(ctx, step.mutation, 'SAMLRequest', slo));
  if (refused?.within) timedBySp(base);
}

const delivered = (base: AttackBaseline, found: { delivery: AttackDelivery; xml: string }) => {
  base.delivery = found.delivery;
  base.message = found.xml;
};

/** Whether `work` settles within `ms`; a late one is abandoned (its outcome ignored). */
async function answersWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  work.catch(() => undefined);
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

const SIGN_IN_NOT_WATCHED = (): MemoryEvidence => ({
  notObservable:
    "not watched: the hostile response comes at the end of a whole sign-in, whose IdP pages and user agent would count in the embedded SP's process; graded on the time and status of the SP's answer only",
});

const UNANSWERED = new Set(['ERR_STEP_TIMEOUT', 'ERR_TARGET_UNREACHABLE']);
