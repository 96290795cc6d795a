import { CheckFailed, HarnessError } from '../errors.js';
import type { Step } from '../scenario/types.js';
import { reachedPage, type RunContext } from './context.js';
import { relayStateFor, stepUrl } from './pages.js';

/**
 * Signs a directory user in, SP-initiated (open the SP, get redirected to the IdP) or
 * IdP-initiated (start at the IdP's app link), typing the password on the IdP's login page
 * unless the IdP still has a session. With `expectRefused`, the IdP must answer with an error
 * page instead (for example ERR_REQUEST_SIGNATURE for an unsigned AuthnRequest, SAML Bindings
 * 3.4.4.1), and the step fails if the sign-in gets past it.
 */
export async function login(ctx: RunContext, step: NonNullable<Step['login']>): Promise<void> {
  const user = ctx.setup.users.find((u) => u.login.toLowerCase() === step.user.toLowerCase());
  if (!user) throw new HarnessError('ERR_SCENARIO_REFERENCE', `user ${step.user} is not in the IdP setup`);
  if (step.fresh) await ctx.driver.clearCookies();
  const flow = step.flow ?? 'sp-initiated';
  let start: string;
  if (flow === 'sp-initiated') start = stepUrl(ctx, step, ctx.target.loginUrl);
  else {
    const relay = relayStateFor(ctx, step);
    start = `${ctx.tenant.initUrl}${relay !== undefined ? `?RelayState=${encodeURIComponent(relay)}` : ''}`;
  }
  let page = await ctx.driver.goto(start);
  const idpOrigin = new URL(ctx.tenant.ssoUrl).origin;
  if (page.url.startsWith(idpOrigin) && /name="?password/.test(page.html)) {
    page = await ctx.driver.submitLogin(user.login, step.password ?? user.password);
  }
  ctx.observed.landedOn = { url: page.url, status: page.status };
  reachedPage(ctx, page);
  const refusedByIdp = page.url.startsWith(idpOrigin) && page.status >= 400;
  if (refusedByIdp && !step.expectRefused) {
    throw new CheckFailed('ERR_CHECK_IDP_REFUSED', `the IdP refused the sign-in: ${page.text.slice(0, 200)}`);
  }
  if (!refusedByIdp && step.expectRefused) {
    throw new CheckFailed(
      'ERR_CHECK_IDP_NOT_REFUSED',
      `the IdP did not refuse the sign-in: it ended at ${page.url} (status ${page.status}): "${page.text.slice(0, 160)}"`,
    );
  }
}
