import { SamlRejected } from '../errors.js';
import { NS, firstChild, pureText } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** SAML Profiles 4.1.4.2: the assertion's Issuer must be the IdP this workspace trusts. */
export const issuer: AcsCheck = (ctx) => {
  const assertion = need(ctx.verified, 'verified').assertion;
  const el = firstChild(assertion, NS.SAML, 'Issuer');
  const value = el ? pureText(el)?.trim() : undefined;
  if (value !== ctx.settings.idpEntityId) throw new SamlRejected('ERR_SAML_ISSUER', value ?? 'no Issuer');
};
