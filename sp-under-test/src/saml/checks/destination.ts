import { SamlRejected } from '../errors.js';
import { need, type AcsCheck } from './context.js';

/** SAML Bindings 3.5.5.2: a signed response must carry a Destination naming this ACS; any Destination must. */
export const destination: AcsCheck = (ctx) => {
  const verified = need(ctx.verified, 'verified');
  const root = verified.signedResponse ?? need(ctx.doc, 'doc').documentElement;
  const value = root.getAttribute('Destination');
  if (verified.signedResponse && !value) throw new SamlRejected('ERR_SAML_DESTINATION', 'no Destination');
  if (value && value !== ctx.acsUrl) throw new SamlRejected('ERR_SAML_DESTINATION', value);
};
