import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { HarnessError } from '../errors.js';
import { xmlProblem } from './well-formed.js';

/** One SAML message found in a capture. */
export interface CaptureMessage {
  /** 1-based position among the capture's SAML messages. */
  n: number;
  /** Where it was found, e.g. `HAR entry 7: POST https://sp.example/saml/acs`. */
  origin: string;
  param: 'SAMLRequest' | 'SAMLResponse' | 'message';
  binding: 'redirect' | 'post' | 'none';
  /** The message as it went over the wire, decoded. */
  xml: string;
  /** The root element's local name: Response, AuthnRequest, LogoutRequest, … */
  type: string;
  /** When the capture says the request was made (HAR `startedDateTime`). */
  at?: string;
}

export const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';

const looksLikeXml = (b: Buffer) => /^\uFEFF?\s*</.test(b.subarray(0, 64).toString('utf8'));
const preview = (s: string) => JSON.stringify(s.length > 48 ? `${s.slice(0, 48)}…` : s);

function malformed(origin: string, what: string): HarnessError {
  return new HarnessError('ERR_CAPTURE_MALFORMED', `${origin}: ${what}`);
}

/** Checks that `xml` is a well-formed document, or throws ERR_CAPTURE_MALFORMED saying where it breaks. */
export function requireWellFormed(xml: string, origin: string, note = ''): void {
  const p = xmlProblem(xml);
  if (p)
    throw malformed(origin, `not well-formed XML at line ${p.line}, column ${p.column}: ${p.message}${note}`);
}

/**
 * Decodes a SAMLRequest/SAMLResponse parameter: URL-encoding (if still present), then base64,
 * then DEFLATE for the HTTP-Redirect binding (SAML Bindings 3.4.4.1). A value that is not
 * base64, does not inflate, or gives XML that is cut short throws ERR_CAPTURE_MALFORMED naming
 * `origin` and what was found.
 */
export function decodeParam(value: string, binding: 'redirect' | 'post', origin: string): string {
  let v = value.trim();
  if (/%[0-9A-Fa-f]{2}/.test(v)) {
    try {
      v = decodeURIComponent(v);
    } catch {
      throw malformed(origin, `the value is not valid URL encoding: ${preview(v)}`);
    }
  }
  v = v.replace(/ /g, '+').replace(/\s+/g, '');
  const bad = /[^A-Za-z0-9+/=_-]/.exec(v);
  if (bad) {
    throw malformed(
      origin,
      `the value is not base64: "${bad[0]}" at character ${bad.index + 1} of ${preview(v)}`,
    );
  }
  if (v.replace(/=+$/, '').length % 4 === 1) {
    throw malformed(
      origin,
      `the base64 value (${v.length} characters) is cut short: its length cannot be whole`,
    );
  }
  const bytes = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  let xml: string;
  if (looksLikeXml(bytes)) {
    xml = bytes.toString('utf8');
  } else {
    try {
      xml = inflateRawSync(bytes).toString('utf8');
    } catch (e) {
      throw malformed(
        origin,
        `the base64 value decodes to ${bytes.length} bytes that are neither XML nor DEFLATE-compressed XML` +
          ` (${binding === 'redirect' ? 'the HTTP-Redirect binding deflates' : 'the HTTP-POST binding does not deflate'};` +
          ` inflating says: ${(e as Error).message}); it begins ${preview(bytes.subarray(0, 24).toString('latin1'))}`,
      );
    }
  }
  requireWellFormed(xml, origin, ` (decoded from ${v.length} base64 characters)`);
  return xml.replace(/^\uFEFF/, '');
}

/** The root element's local name when it is a SAML protocol message, else `not SAML: <root>`. */
export function messageType(xml: string): string {
  const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (!root) return 'not SAML: no element';
  if (root.namespaceURI !== SAMLP) return `not SAML: <${root.nodeName}>`;
  return root.localName ?? root.nodeName;
}

/** Builds the messages of a capture in order, numbering them. */
export class MessageList {
  readonly messages: CaptureMessage[] = [];
  add(m: Omit<CaptureMessage, 'n' | 'type'>): void {
    this.messages.push({ ...m, n: this.messages.length + 1, type: messageType(m.xml) });
  }
}
