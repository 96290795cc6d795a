import { scenarioDuration } from '../duration.js';
import { CheckFailed, HarnessError, NotApplicable } from '../errors.js';
import type { Step } from '../scenario/types.js';
import type { RunContext } from './context.js';
import { namedPageUrl, relayStateFor } from './pages.js';

/**
 * Signs a member in on the SP's own sign-in page: email first, then the password when the
 * SP offers a password form (an SSO-enforced member gets a refusal page instead).
 */
export async function passwordLogin(
  ctx: RunContext,
  step: NonNullable<Step['passwordLogin']>,
): Promise<void> {
  if (step.fresh) await ctx.driver.clearCookies();
  const password = step.password ?? ctx.passwords?.[step.email.toLowerCase()];
  if (!password)
    throw new HarnessError(
      'ERR_SCENARIO_REFERENCE',
      `no password for ${step.email}: give one or create the member in given`,
    );
  const signIn = namedPageUrl(ctx, 'signIn', {
    email: step.email,
    next: step.page || step.path ? relayStateFor(ctx, step)! : '',
  });
  const page = await ctx.driver.goto(signIn);
  ctx.observed.signInPage = { url: page.url, status: page.status };
  if (page.status === 200 && /name="?password/.test(page.html))
    await ctx.driver.submitLogin(step.email, password);
}

/** Opens the SP's workspace switcher and follows its link to `slug` (`<switcher>/<slug>`), as a person would. */
export async function switchWorkspace(ctx: RunContext, slug: string): Promise<void> {
  const switcher = new URL(namedPageUrl(ctx, 'switcher'));
  const page = await ctx.driver.goto(switcher.href);
  const href = `${switcher.pathname.replace(/\/$/, '')}/${encodeURIComponent(slug)}`;
  if (!page.html.includes(`href="${href}"`)) {
    throw new CheckFailed(
      'ERR_CHECK_SWITCHER',
      `the workspace switcher offers no link to ${slug} (at ${page.url}: "${page.text.slice(0, 160)}")`,
    );
  }
  await ctx.driver.goto(switcher.origin + href);
}

/** Moves or freezes the SP's clock through its admin API. */
export async function moveClock(ctx: RunContext, step: NonNullable<Step['clock']>): Promise<void> {
  if (!ctx.target.admin) throw new NotApplicable("moving the clock needs the SP's admin API");
  const body: Record<string, unknown> = {};
  if (step.freezeAt) body.freezeAt = step.freezeAt;
  if (step.advance || step.back)
    body.advanceMs =
      (step.advance ? scenarioDuration(step.advance) : 0) - (step.back ? scenarioDuration(step.back) : 0);
  ctx.observed.clock = await ctx.target.admin('POST', '/clock', body);
}
