import { SamlRejected } from '../errors.js';
import { NS, descendants } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/**
 * SAML Core 2.7.3.1 and the attribute-pollution family: the SP maps attributes by Name (roles,
 * email), so two Attributes with one Name in the verified assertion, whatever their
 * NameFormats, leave the value ambiguous and the assertion is refused.
 */
export const uniqueAttributes: AcsCheck = (ctx) => {
  const seen = new Set<string>();
  for (const attribute of descendants(need(ctx.verified, 'verified').assertion, NS.SAML, 'Attribute')) {
    const name = attribute.getAttribute('Name') ?? '';
    if (seen.has(name)) throw new SamlRejected('ERR_SAML_ATTRIBUTES', `two attributes named ${name}`);
    seen.add(name);
  }
};
