import { SamlRejected } from '../errors.js';
import { NS } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** What a Response may hold of the assertion namespace outside an Assertion (SAML Core 3.2.2, 3.3.3). */
const AT_RESPONSE_LEVEL = new Set(['Issuer', 'Assertion', 'EncryptedAssertion']);

/**
 * SAML Core 2.7.3 and 3.2.1 and the attribute-pollution family: statements, subjects and
 * attributes exist only inside an Assertion, and samlp:Extensions holds only elements of
 * non-SAML namespaces. Assertion content anywhere else in the Response is outside every
 * signature a reader could check, so a reader that looks for attributes across the whole
 * message would take it; the message is refused as malformed.
 */
export const strayAssertionContent: AcsCheck = (ctx) => {
  const root = need(ctx.doc, 'doc').documentElement;
  const walk = (node: Element): void => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType !== 1) continue;
      const el = c as Element;
      if (el.namespaceURI === NS.SAML) {
        if (node !== root || !AT_RESPONSE_LEVEL.has(el.localName ?? '')) {
          throw new SamlRejected('ERR_SAML_MALFORMED', `<${el.tagName}> outside an Assertion`);
        }
        continue;
      }
      walk(el);
    }
  };
  walk(root);
};
