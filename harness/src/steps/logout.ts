import { CheckFailed, HarnessError } from '../errors.js';
import type { Step } from '../scenario/types.js';
import type { RunContext } from './context.js';
import { NotApplicable } from './expect.js';

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
  if (!ctx.target.sloUrl)
    throw new NotApplicable(
      "Single Logout needs the SP's SLO URL, which the target does not declare (sp.sloUrl in a target file)",
    );
  let start: string;
  if (flow === 'sp-initiated') {
    if (!ctx.target.logoutUrl)
      throw new NotApplicable(
        'SP-initiated logout needs the URL that starts it, which the target does not declare (sp.logoutUrl in a target file)',
      );
    start = ctx.target.logoutUrl;
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
      `${who} refused the logout at ${page.url} (status ${page.status}): ${page.text.slice(0, 200)}`,
    );
  }
}
