import { expect } from 'chai';
import type { RunTarget } from '../../harness/src/env/target.js';
import { NotApplicable } from '../../harness/src/errors.js';
import type { Step } from '../../harness/src/scenario/types.js';
import { checkLogoutApplies } from '../../harness/src/steps/logout.js';

/**
 * A logout attack (an attack step with a victim) is delivered over the binding the case's
 * given.idp.sloBinding names, HTTP-POST by default: it applies to an SP whose Single Logout
 * endpoint takes that binding, and is not applicable to one without it.
 */
describe('harness: a logout attack needs the SP to take its Single Logout binding', () => {
  const redirectOnly = { sloUrls: { redirect: 'http://sp.test/slo' } } as unknown as RunTarget;
  const steps: Step[] = [
    {
      attack: { mutation: 'saml.reject.deflate-bomb-redirect', user: 'a@x.test', victim: 'a@x.test' },
    } as Step,
  ];
  const why = (binding?: 'redirect' | 'post') => {
    try {
      checkLogoutApplies(redirectOnly, steps, binding);
      return undefined;
    } catch (e) {
      expect(e).to.be.instanceOf(NotApplicable);
      return (e as Error).message;
    }
  };

  it('runs over HTTP-Redirect against an SP that takes Single Logout over HTTP-Redirect only', () => {
    expect(why('redirect')).to.equal(undefined);
  });

  it('is not applicable over HTTP-POST (the default) against that SP, naming the binding', () => {
    expect(why()).to.match(/HTTP-POST needs the SP's SLO URL.*sp\.sloUrl\.post/);
    expect(why('post')).to.match(/HTTP-POST/);
  });
});
