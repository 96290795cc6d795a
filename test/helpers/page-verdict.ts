import type { Driver } from '../../harness/src/drivers/driver.js';
import type { RunTarget } from '../../harness/src/env/target.js';
import { CheckFailed, NotApplicable } from '../../harness/src/errors.js';
import type { PageExpectation } from '../../harness/src/scenario/types.js';
import type { RunContext } from '../../harness/src/steps/context.js';
import { CHECKS } from '../../harness/src/steps/expect.js';

/**
 * The verdict of a page expectation on the driver's current page, against a run target alone:
 * `passed`, the failure's code, or `not-applicable: <reason>`. The IdP is taken to be elsewhere.
 */
export async function pageVerdict(target: RunTarget, driver: Driver, e: PageExpectation): Promise<string> {
  const ctx = {
    target,
    driver,
    tenant: { ssoUrl: 'http://127.0.0.1:9/okta/sso' },
    observed: {},
  } as unknown as RunContext;
  try {
    await CHECKS.page(ctx, e);
    return 'passed';
  } catch (err) {
    if (err instanceof CheckFailed) return err.code;
    if (err instanceof NotApplicable) return `not-applicable: ${err.message}`;
    throw err;
  }
}
