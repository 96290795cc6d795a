import type { Step } from '../scenario/types.js';
import type { RunContext } from './context.js';
import { checkExpectations } from './expect.js';
import { inWorkspace } from './given.js';
import { logout } from './logout.js';
import { openMail } from './mail.js';
import { stepUrl } from './pages.js';
import { moveClock, passwordLogin, switchWorkspace } from './session-actions.js';

/** A readable name for the step kinds defined here; undefined for others. */
export function describeStep(step: Step): string | undefined {
  const where = step.workspace ? ` in ${step.workspace}` : '';
  if (step.passwordLogin) return `${step.passwordLogin.email} signs in with a password${where}`;
  if (step.openMail)
    return `open the newest mail to ${step.openMail.to}${step.openMail.followLink ? ' and follow its link' : ''}`;
  if (step.switchWorkspace) return `switch to workspace ${step.switchWorkspace}`;
  if (step.logout) return `Single Logout (${step.logout.flow ?? 'sp-initiated'})${where}`;
  if (step.clock) return `move the SP's clock${step.clock.advance ? ` by ${step.clock.advance}` : ''}`;
  if (step.login && step.workspace)
    return `${step.login.user} signs in${where} (${step.login.flow ?? 'sp-initiated'})`;
  return undefined;
}

/**
 * Runs the step's actions after its IdP sign-in (`login`, run by the runner), in a fixed
 * order, then its expectations, all in the step's workspace.
 */
export async function runStep(base: RunContext, step: Step): Promise<void> {
  const ctx = inWorkspace(base, step.workspace);
  if (step.logout) await logout(ctx, step.logout);
  if (step.clock) await moveClock(ctx, step.clock);
  if (step.passwordLogin) await passwordLogin(ctx, step.passwordLogin);
  if (step.switchWorkspace) await switchWorkspace(ctx, step.switchWorkspace);
  if (step.openMail) await openMail(ctx, step.openMail);
  if (step.visit)
    await ctx.driver.goto(stepUrl(ctx, step.visit, ctx.target.pages.home ?? ctx.target.loginUrl));
  if (step.expect) await checkExpectations(ctx, step.expect);
}
