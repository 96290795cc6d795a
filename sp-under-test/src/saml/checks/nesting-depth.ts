import { SamlRejected } from '../errors.js';
import { need, type AcsCheck } from './context.js';

/** Deeper than any SAML Response an IdP writes (about a dozen levels), far below what exhausts a parser. */
export const MAX_NESTING_DEPTH = 64;

/** Start and end tags; comments, processing instructions, CDATA and declarations are skipped whole. */
const MARKUP =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<(\/?)[^\s/>!?][^>]*?(\/?)>/g;

/**
 * SAML Security Considerations 6.5 (denial of service by complex messages): elements may not
 * nest deeper than MAX_NESTING_DEPTH. Judged by one linear scan of the raw text, before any
 * parser or canonicalizer walks the tree.
 */
export const nestingDepth: AcsCheck = (ctx) => {
  let depth = 0;
  for (const m of need(ctx.xml, 'xml').matchAll(MARKUP)) {
    if (m[1] === undefined) continue;
    if (m[1] === '/') depth--;
    else if (m[2] !== '/' && ++depth > MAX_NESTING_DEPTH) {
      throw new SamlRejected('ERR_SAML_TOO_COMPLEX', `elements nest deeper than ${MAX_NESTING_DEPTH} levels`);
    }
  }
};
