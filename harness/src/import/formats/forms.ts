import { parse } from 'node-html-parser';
import { decodeParam, type MessageList } from '../decode-message.js';

const PARAMS = ['SAMLRequest', 'SAMLResponse'] as const;

/** Adds the SAML parameters of a URL's query string (HTTP-Redirect binding). */
export function addFromUrl(list: MessageList, url: string, origin: string, at?: string): void {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  }
  for (const param of PARAMS) {
    const v = query.get(param);
    if (v)
      list.add({ origin, param, binding: 'redirect', xml: decodeParam(v, 'redirect', origin), ...at1(at) });
  }
}

/** Adds the SAML parameters of a form body (HTTP-POST binding). */
export function addFromForm(
  list: MessageList,
  form: Iterable<[string, string]>,
  origin: string,
  at?: string,
): void {
  for (const [name, value] of form) {
    const param = PARAMS.find((p) => p === name);
    if (param && value) {
      list.add({ origin, param, binding: 'post', xml: decodeParam(value, 'post', origin), ...at1(at) });
    }
  }
}

/** The fields of every form in an HTML page that carries a SAML message (an IdP's auto-submitting page). */
export function samlForms(html: string): { action: string; fields: [string, string][] }[] {
  if (!/SAML(Request|Response)/.test(html)) return [];
  return parse(html)
    .querySelectorAll('form')
    .map((f) => ({
      action: f.getAttribute('action') ?? '',
      fields: f
        .querySelectorAll('input, textarea')
        .map((i): [string, string] => [i.getAttribute('name') ?? '', i.getAttribute('value') ?? i.text]),
    }))
    .filter((f) => f.fields.some(([n]) => n === 'SAMLRequest' || n === 'SAMLResponse'));
}

const at1 = (at: string | undefined) => (at ? { at } : {});

/** `a HAR file of 12 requests to idp.example, sp.example` */
export function requestsFound(kind: string, count: number, hosts: ReadonlySet<string>): string {
  const list = [...hosts].slice(0, 5).join(', ') + (hosts.size > 5 ? ', …' : '');
  return `${kind} of ${count} request${count === 1 ? '' : 's'}${hosts.size ? ` to ${list}` : ''}`;
}
