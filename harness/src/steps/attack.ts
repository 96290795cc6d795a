import type { ObservedMember } from '../env/observers/observer.js';
import { HarnessError } from '../errors.js';
import type { Step } from '../scenario/types.js';
import type { RunContext } from './context.js';
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
 * the mutated response. expect.refused grades what happened.
 */
export async function attack(ctx: RunContext, step: NonNullable<Step['attack']>): Promise<void> {
  if (!ctx.armMutation)
    throw new HarnessError('ERR_INTERNAL', 'this run cannot arm mock IdP mutations (no IdP admin access)');
  const before = await observeState(ctx);
  ctx.attack = { mutation: step.mutation, user: step.user, ...before };
  await ctx.armMutation(step.mutation);
  ctx.observed.mutation = step.mutation;
  await login(ctx, {
    user: step.user,
    fresh: true,
    ...(step.flow ? { flow: step.flow } : {}),
    ...(step.path ? { path: step.path } : {}),
    ...(step.page ? { page: step.page } : {}),
  });
}
