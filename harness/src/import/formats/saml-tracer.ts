import { HarnessError } from '../../errors.js';
import { MessageList, requireWellFormed } from '../decode-message.js';
import { addFromForm, addFromUrl, requestsFound } from './forms.js';

/**
 * One request of a SAML-tracer export (`{"requests": [...], "timestamp": "…"}`): the method and
 * URL, GET and POST parameters as `[name, value]` pairs (already URL-decoded), and `saml`, the
 * message the tracer decoded. Exports made with a value filter hash or obfuscate the POST
 * values; `saml` then is the only copy of the message left.
 */
export interface TracerRequest {
  method?: string;
  url?: string;
  post?: [string, string][];
  saml?: string | null;
}

export const isSamlTracerExport = (json: unknown): json is { requests: TracerRequest[] } =>
  typeof json === 'object' && json !== null && Array.isArray((json as { requests?: unknown }).requests);

export function readSamlTracer(json: { requests: TracerRequest[]; timestamp?: string }): {
  list: MessageList;
  found: string;
} {
  const list = new MessageList();
  const hosts = new Set<string>();
  json.requests.forEach((r, i) => {
    if (typeof r !== 'object' || r === null) {
      throw new HarnessError('ERR_CAPTURE_MALFORMED', `SAML-tracer request ${i + 1} is not an object`);
    }
    const url = String(r.url ?? '');
    const method = String(r.method ?? 'GET').toUpperCase();
    const origin = `SAML-tracer request ${i + 1}: ${method} ${url.split('?')[0]}`;
    try {
      hosts.add(new URL(url).host);
    } catch {
      // a request without a URL is still read for its parameters
    }
    const before = list.messages.length;
    try {
      addFromUrl(list, url, origin);
      if (Array.isArray(r.post)) addFromForm(list, r.post.filter(isPair), origin);
    } catch (e) {
      // A filtered export keeps only the tracer's decoded copy of the message.
      if (!(e instanceof HarnessError) || typeof r.saml !== 'string' || !r.saml.trim()) throw e;
      list.messages.length = before;
      requireWellFormed(r.saml, `${origin} (the tracer's decoded copy)`);
      list.add({
        origin: `${origin} (the tracer's decoded copy; the parameter value was filtered)`,
        param: 'message',
        binding: method === 'POST' ? 'post' : 'redirect',
        xml: r.saml,
      });
    }
  });
  return {
    list,
    found: requestsFound('a SAML-tracer export', json.requests.length, hosts),
  };
}

const isPair = (p: unknown): p is [string, string] =>
  Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string';
