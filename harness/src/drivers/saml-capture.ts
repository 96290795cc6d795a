import { inflateRawSync } from 'node:zlib';
import type { CapturedSamlMessage } from './driver.js';

/**
 * The most the harness inflates of one HTTP-Redirect message: far more than any real one, and a
 * deflate bomb on its way to the SP (saml.reject.deflate-bomb-redirect) stops there.
 */
export const MAX_INFLATED_BYTES = 256 * 1024;

/**
 * Decodes a SAML message parameter: DEFLATE + base64 (HTTP-Redirect) or base64 (HTTP-POST).
 * DEFLATE data that inflates beyond MAX_INFLATED_BYTES is kept as a note saying so.
 */
export function decodeSamlParam(value: string, binding: 'redirect' | 'post'): string {
  const raw = Buffer.from(value, 'base64');
  if (binding === 'redirect') {
    try {
      return inflateRawSync(raw, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        return `<!-- ${raw.length} bytes of DEFLATE data inflating beyond ${MAX_INFLATED_BYTES} bytes: not decoded -->`;
      return raw.toString('utf8');
    }
  }
  return raw.toString('utf8');
}

/**
 * Pulls SAML messages out of a request's URL (redirect binding) and form body (POST binding):
 * requests into `samlRequests`, responses (a Response or a LogoutResponse) into `samlResponses`,
 * and every one, with its binding, endpoint and query signature, into `samlMessages`.
 */
export function captureSaml(
  url: string,
  form: URLSearchParams | undefined,
  into: { samlResponses: string[]; samlRequests: string[]; samlMessages?: CapturedSamlMessage[] },
): void {
  const parsed = new URL(url);
  const q = parsed.searchParams;
  const endpoint = parsed.origin + parsed.pathname;
  const querySigned = q.has('SigAlg') && q.has('Signature');
  const keep = (
    param: CapturedSamlMessage['param'],
    binding: CapturedSamlMessage['binding'],
    value: string,
  ) => {
    const xml = decodeSamlParam(value, binding);
    (param === 'SAMLRequest' ? into.samlRequests : into.samlResponses).push(xml);
    (into.samlMessages ??= []).push({
      param,
      binding,
      endpoint,
      ...(binding === 'redirect' ? { querySigned, query: parsed.search.replace(/^\?/, '') } : {}),
      xml,
    });
  };
  const reqParam = q.get('SAMLRequest');
  if (reqParam) keep('SAMLRequest', 'redirect', reqParam);
  const resParam = q.get('SAMLResponse');
  if (resParam) keep('SAMLResponse', 'redirect', resParam);
  const formResponse = form?.get('SAMLResponse');
  if (formResponse) keep('SAMLResponse', 'post', formResponse);
  const formRequest = form?.get('SAMLRequest');
  if (formRequest) keep('SAMLRequest', 'post', formRequest);
}
