import { SamlRejected } from '../errors.js';
import type { AcsCheck } from './context.js';

/** SAML Bindings 3.5.4: the HTTP-POST binding carries the message base64-encoded in SAMLResponse. */
export const decodeMessage: AcsCheck = (ctx) => {
  const raw = ctx.body.SAMLResponse;
  if (typeof raw !== 'string' || raw.length === 0) throw new SamlRejected('ERR_SAML_MISSING');
  if (raw.length > Math.ceil((ctx.maxResponseBytes * 4) / 3) + 4)
    throw new SamlRejected('ERR_SAML_TOO_LARGE');
  const compact = raw.replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new SamlRejected('ERR_SAML_ENCODING', 'not base64');
  }
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  if (!xml.trimStart().startsWith('<')) throw new SamlRejected('ERR_SAML_ENCODING', 'not XML');
  ctx.xml = xml;
};
