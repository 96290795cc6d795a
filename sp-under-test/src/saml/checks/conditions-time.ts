import { SamlRejected } from '../errors.js';
import { NS, firstChild } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** SAML Core 2.5.1.2: NotBefore and NotOnOrAfter, judged by the SP's clock with a small skew. */
export const conditionsTime: AcsCheck = (ctx) => {
  const conditions = firstChild(need(ctx.verified, 'verified').assertion, NS.SAML, 'Conditions');
  if (!conditions) return;
  const now = ctx.now.getTime();
  const notBefore = conditions.getAttribute('NotBefore');
  const notOnOrAfter = conditions.getAttribute('NotOnOrAfter');
  if (notBefore && Date.parse(notBefore) - ctx.clockSkewMs > now) {
    throw new SamlRejected('ERR_SAML_NOT_YET_VALID', `NotBefore ${notBefore}`);
  }
  if (notOnOrAfter) {
    if (Date.parse(notOnOrAfter) + ctx.clockSkewMs <= now) {
      throw new SamlRejected('ERR_SAML_EXPIRED', `NotOnOrAfter ${notOnOrAfter}`);
    }
    ctx.assertionExpiresAt = new Date(Date.parse(notOnOrAfter) + ctx.clockSkewMs);
  }
};
