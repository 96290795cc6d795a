import { HarnessError } from '../../errors.js';
import { MessageList } from '../decode-message.js';
import { addFromForm, addFromUrl, requestsFound, samlForms } from './forms.js';

/** The parts of a HAR 1.2 entry (`log.entries[]`) that can carry a SAML message. */
interface HarEntry {
  startedDateTime?: string;
  request?: {
    method?: string;
    url?: string;
    postData?: { mimeType?: string; text?: string; params?: { name?: string; value?: string }[] };
  };
  response?: { content?: { mimeType?: string; text?: string; encoding?: string } };
}

export const isHar = (json: unknown): json is { log: { entries: HarEntry[] } } =>
  typeof json === 'object' &&
  json !== null &&
  Array.isArray((json as { log?: { entries?: unknown } }).log?.entries);

function formOf(post: NonNullable<NonNullable<HarEntry['request']>['postData']>): [string, string][] {
  if (typeof post.text === 'string' && /x-www-form-urlencoded/i.test(post.mimeType ?? '')) {
    return [...new URLSearchParams(post.text)];
  }
  return (post.params ?? []).map((p): [string, string] => [String(p.name ?? ''), String(p.value ?? '')]);
}

function pageText(entry: HarEntry): string | undefined {
  const c = entry.response?.content;
  if (typeof c?.text !== 'string' || !/html/i.test(c.mimeType ?? 'text/html')) return undefined;
  return c.encoding === 'base64' ? Buffer.from(c.text, 'base64').toString('utf8') : c.text;
}

/**
 * Reads the SAML messages of a HAR file: those sent in a request's URL or form body, in entry
 * order, then those found only in a page's auto-submitting form (browsers often leave a large
 * POST body out of the HAR).
 */
export function readHar(json: { log: { entries: HarEntry[] } }): { list: MessageList; found: string } {
  const list = new MessageList();
  const entries = json.log.entries;
  const hosts = new Set<string>();
  entries.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || typeof e.request?.url !== 'string') {
      throw new HarnessError('ERR_CAPTURE_MALFORMED', `HAR entry ${i + 1} has no request URL`);
    }
    const { url } = e.request;
    const method = (e.request.method ?? 'GET').toUpperCase();
    const origin = `HAR entry ${i + 1}: ${method} ${url.split('?')[0]}`;
    try {
      hosts.add(new URL(url).host);
    } catch {
      // an entry with a relative URL is still read for its parameters
    }
    addFromUrl(list, url, origin, e.startedDateTime);
    if (e.request.postData) addFromForm(list, formOf(e.request.postData), origin, e.startedDateTime);
  });
  const sent = new Set(list.messages.map((m) => m.xml));
  entries.forEach((e, i) => {
    const html = pageText(e);
    if (!html) return;
    for (const form of samlForms(html)) {
      const origin = `HAR entry ${i + 1}: a form in the page of ${e.request?.url?.split('?')[0]} posting to ${form.action || '(no action)'}`;
      const page = new MessageList();
      addFromForm(page, form.fields, origin, e.startedDateTime);
      for (const m of page.messages) {
        if (sent.has(m.xml)) continue;
        sent.add(m.xml);
        list.add(m);
      }
    }
  });
  return {
    list,
    found: requestsFound('a HAR file', entries.length, hosts),
  };
}
