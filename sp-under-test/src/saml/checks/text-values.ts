import { SamlRejected } from '../errors.js';
import { NS, descendants, pureText } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** Elements whose value is a plain string; markup inside them means two readers may disagree. */
const TEXT_ONLY = ['NameID', 'Issuer', 'Audience', 'AttributeValue'] as const;

/**
 * SAML Core 2.2.3 / 2.2.5 / 2.5.1.4 / 2.7.3.1 and the comment-truncation attack: comments and
 * processing instructions are not allowed to split a value anywhere in the received message.
 * Canonical XML drops comments before signing, so this must be judged on the raw document,
 * not on the verified bytes.
 */
export const textValues: AcsCheck = (ctx) => {
  const doc = need(ctx.doc, 'doc');
  for (const local of TEXT_ONLY) {
    for (const el of descendants(doc, NS.SAML, local)) {
      if (el.getElementsByTagName('*').length > 0) continue;
      if (pureText(el) === undefined) {
        throw new SamlRejected(
          local === 'NameID' ? 'ERR_SAML_NAMEID' : 'ERR_SAML_MALFORMED',
          `a comment or processing instruction inside <${local}>`,
        );
      }
    }
  }
};
