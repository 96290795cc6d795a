import type { PageState } from '../drivers/driver.js';
import { IDP_OUTCOMES, idpOutcome, type Outcome, type OutcomeReading } from './outcomes.js';
import type { RunTarget } from './target.js';

/** Whether a page shows an outcome: the IdP's by the harness, the SP's by the target's recogniser. */
export function readOutcome(
  ctx: { target: RunTarget; tenant: { ssoUrl: string } },
  outcome: Outcome,
  page: PageState,
): OutcomeReading {
  if (IDP_OUTCOMES.includes(outcome)) return idpOutcome(outcome, page, new URL(ctx.tenant.ssoUrl).origin);
  if (!ctx.target.outcome) return { unknown: `the target recognises no outcomes, so not ${outcome}` };
  return ctx.target.outcome(outcome, page);
}
