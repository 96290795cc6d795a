import { SamlRejected } from '../errors.js';
import { NS, firstChild, pureText } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/**
 * SAML Core 2.2.3 and the comment-truncation attack: the NameID is read from the verified
 * bytes, must be plain text, and must equal what the SAML library read.
 */
export const nameId: AcsCheck = (ctx) => {
  const subject = firstChild(need(ctx.verified, 'verified').assertion, NS.SAML, 'Subject');
  const el = subject && firstChild(subject, NS.SAML, 'NameID');
  if (!el) throw new SamlRejected('ERR_SAML_NAMEID', 'no NameID');
  const text = pureText(el);
  if (text === undefined) throw new SamlRejected('ERR_SAML_NAMEID', 'markup inside the NameID');
  const value = text.trim();
  if (!value || value !== ctx.saml2User?.name_id?.trim()) throw new SamlRejected('ERR_SAML_NAMEID', value);
  ctx.nameId = value;
  ctx.nameIdFormat = el.getAttribute('Format') ?? undefined;
};
