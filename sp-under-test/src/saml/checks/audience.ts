import { SamlRejected } from '../errors.js';
import { NS, childElements, firstChild, pureText } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** SAML Core 2.5.1.4: every AudienceRestriction must name this SP. */
export const audience: AcsCheck = (ctx) => {
  const conditions = firstChild(need(ctx.verified, 'verified').assertion, NS.SAML, 'Conditions');
  if (!conditions) throw new SamlRejected('ERR_SAML_AUDIENCE', 'the assertion has no Conditions');
  const restrictions = childElements(conditions, NS.SAML, 'AudienceRestriction');
  if (restrictions.length === 0) throw new SamlRejected('ERR_SAML_AUDIENCE', 'no AudienceRestriction');
  for (const r of restrictions) {
    const names = childElements(r, NS.SAML, 'Audience').map((a) => pureText(a)?.trim());
    if (!names.includes(ctx.spEntityId)) throw new SamlRejected('ERR_SAML_AUDIENCE', names.join(', '));
  }
};
