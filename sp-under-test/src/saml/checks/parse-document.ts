import { SamlRejected } from '../errors.js';
import { NS, parseUntrusted } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** SAML Security Considerations 6.5 (XML processing): no DTDs; the root must be a samlp:Response. */
export const parseDocument: AcsCheck = (ctx) => {
  const doc = parseUntrusted(need(ctx.xml, 'xml'));
  const root = doc.documentElement;
  if (root.namespaceURI !== NS.SAMLP || root.localName !== 'Response') {
    throw new SamlRejected('ERR_SAML_MALFORMED', `root element is ${root.localName}`);
  }
  if (root.getAttribute('Version') !== '2.0')
    throw new SamlRejected('ERR_SAML_MALFORMED', 'Version is not 2.0');
  ctx.doc = doc;
};
