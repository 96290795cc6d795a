import { verifyAssertion } from '../verified-assertion.js';
import { need, type AcsCheck } from './context.js';

/** XML-DSig Core 3.2 and SAML Core 5.4: keep the verified bytes; everything after reads only those. */
export const verifySignature: AcsCheck = (ctx) => {
  ctx.verified = verifyAssertion(need(ctx.xml, 'xml'), need(ctx.doc, 'doc'), ctx.settings.certificates, {
    allowSha1: ctx.allowSha1,
  });
  ctx.assertionId = ctx.verified.assertion.getAttribute('ID') ?? undefined;
};
