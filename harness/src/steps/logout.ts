import { chooseSloEndpoint } from '../env/sp-metadata.js';
import type { RunTarget } from '../env/target.js';
import { CheckFailed, HarnessError, NotApplicable } from '../errors.js';
import type { Step } from '../scenario/types.js';
import type { RunContext } from './context.js';

type Binding = 'redirect' | 'post';

/** The SLO URL and binding the run's IdP tenant sends logout messages to the target with. */
export const sloForTenant = (target: RunTarget, wanted: Binding | undefined) =>
  chooseSloEndpoint(target.sloUrls, wanted);

/** Why a logout step cannot run against the target; undefined when it can. */
function cannotLogOut(
  target: RunTarget,
  flow: 'sp-initiated' | 'idp-initiated',
  binding: Binding | undefined,
): string | undefined {
  if (!sloForTenant(target, binding).sloUrl)
    return binding
      ? `Single Logout over HTTP-${binding === 'post' ? 'POST' : 'Redirect'} needs the SP's SLO URL for that binding, which the target does not declare (sp.sloUrl.${binding} in a target file, or a SingleLogoutService with that binding in its metadata)`
      : "Single Logout needs the SP's SLO URL, which the target does not declare (sp.sloUrl in a target file, or a SingleLogoutService in its metadata)";
  if (flow === 'sp-initiated' && !target.logoutUrl)
    return 'SP-initiated logout needs the URL that starts it, which the target does not declare (sp.logoutUrl in a target file)';
  return undefined;
}

/**
 * Makes a case whose logout steps cannot run against the target not applicable before its first
 * step, since the steps after a logout depend on it.
 */
export function checkLogoutApplies(target: RunTarget, steps: readonly Step[], binding?: Binding): void {
  for (const step of steps) {
    const why =
      (step.logout && cannotLogOut(target, step.logout.flow ?? 'sp-initiated', binding)) ||
      (step.attack?.victim && cannotLogOut(target, 'idp-initiated', binding ?? 'post'));
    if (why) throw new NotApplicable(why);
  }
}

/**
 * Single Logout (SAML Profiles 4.4) as a person does it, in the driver. SP-initiated: open the
 * SP's logout URL; the SP sends a LogoutRequest to the IdP, which ends its session and answers
 * with a LogoutResponse at the SP's SLO URL. IdP-initiated: open the IdP's logout URL; the IdP
 * sends a LogoutRequest to the SP's SLO URL, and the SP answers the IdP with a LogoutResponse.
 * Redirects and self-submitting forms are followed as in a sign-in. A target that declares no
 * SLO URL (or, SP-initiated, no logout URL) makes the step not applicable.
 */
export async function logout(ctx: RunContext, step: NonNullable<Step['logout']>): Promise<void> {
  const flow = step.flow ?? 'sp-initiated';
  const why = cannotLogOut(ctx.target, flow, ctx.setup.app.sloBinding);
  if (why) throw new NotApplicable(why);
  let start: string;
  if (flow === 'sp-initiated') {
    start = ctx.target.logoutUrl!;
  } else {
    if (!ctx.tenant.logoutUrl)
      throw new HarnessError('ERR_IDP', `the IdP tenant ${ctx.tenant.tenant} has no logout URL`);
    start = ctx.tenant.logoutUrl;
  }
  const page = await ctx.driver.goto(start);
  ctx.observed.logout = { flow, startedAt: start, landedOn: { url: page.url, status: page.status } };
  if (page.status >= 400) {
    const who = page.url.startsWith(new URL(ctx.tenant.ssoUrl).origin) ? 'the IdP' : 'the SP';
    throw new CheckFailed(
      'ERR_CHECK_LOGOUT_REFUSED',
      `${who} refused the logout at ${page.url} (status ${page.status}): ${page.text.slice(0, 200)}`,
    );
  }
}
