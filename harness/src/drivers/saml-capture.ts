import { inflateRawSync } from 'node:zlib';

/** Decodes a SAML message parameter: DEFLATE + base64 (HTTP-Redirect) or base64 (HTTP-POST). */
export function decodeSamlParam(value: string, binding: 'redirect' | 'post'): string {
  const raw = Buffer.from(value, 'base64');
  if (binding === 'redirect') {
    try {
      return inflateRawSync(raw).toString('utf8');
    } catch {
      return raw.toString('utf8');
    }
  }
  return raw.toString('utf8');
}

/** Pulls SAML messages out of a request's URL (redirect binding) and form body (POST binding). */
export function captureSaml(
  url: string,
  form: URLSearchParams | undefined,
  into: { samlResponses: string[]; samlRequests: string[] },
): void {
  const q = new URL(url).searchParams;
  const reqParam = q.get('SAMLRequest');
  if (reqParam) into.samlRequests.push(decodeSamlParam(reqParam, 'redirect'));
  const resParam = q.get('SAMLResponse');
  if (resParam) into.samlResponses.push(decodeSamlParam(resParam, 'redirect'));
  const formResponse = form?.get('SAMLResponse');
  if (formResponse) into.samlResponses.push(decodeSamlParam(formResponse, 'post'));
  const formRequest = form?.get('SAMLRequest');
  if (formRequest) into.samlRequests.push(decodeSamlParam(formRequest, 'post'));
}
