import { SamlRejected } from '../errors.js';
import { NS, descendants } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** SAML Profiles 4.1.4.2 and signature-wrapping defence: exactly one assertion anywhere in the message. */
export const singleAssertion: AcsCheck = (ctx) => {
  const doc = need(ctx.doc, 'doc');
  const count =
    descendants(doc, NS.SAML, 'Assertion').length + descendants(doc, NS.SAML, 'EncryptedAssertion').length;
  if (count !== 1)
    throw new SamlRejected('ERR_SAML_MULTIPLE_ASSERTIONS', `${count} assertions in the message`);
};
