import { HarnessError } from '../errors.js';
import { MessageList, decodeParam, requireWellFormed, type CaptureMessage } from './decode-message.js';
import { addFromForm, addFromUrl, samlForms } from './formats/forms.js';
import { isHar, readHar } from './formats/har.js';
import { isSamlTracerExport, readSamlTracer } from './formats/saml-tracer.js';

export interface Capture {
  /** What the input turned out to be, e.g. `a HAR file of 12 requests to …`. */
  found: string;
  messages: CaptureMessage[];
}

const begins = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

function readJson(text: string): Capture {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HarnessError(
      'ERR_CAPTURE_MALFORMED',
      `the capture looks like JSON (a SAML-tracer export or a HAR file) but does not parse: ${(e as Error).message}` +
        ` (${text.length} characters; a cut-short file ends ${begins(text.slice(-40))})`,
    );
  }
  if (isSamlTracerExport(json)) {
    const { list, found } = readSamlTracer(json);
    return { found, messages: list.messages };
  }
  if (isHar(json)) {
    const { list, found } = readHar(json);
    return { found, messages: list.messages };
  }
  const keys =
    typeof json === 'object' && json !== null
      ? Object.keys(json).slice(0, 8).join(', ') || '(none)'
      : typeof json;
  throw new HarnessError(
    'ERR_CAPTURE_FORMAT',
    `JSON that is neither a SAML-tracer export ("requests" list) nor a HAR file ("log.entries"); its top-level keys: ${keys}`,
  );
}

function readMarkup(text: string): Capture {
  const forms = samlForms(text);
  if (forms.length || /^(<!DOCTYPE html|<html)/i.test(text)) {
    const list = new MessageList();
    forms.forEach((f, i) =>
      addFromForm(list, f.fields, `form ${i + 1} of the page, posting to ${f.action || '(no action)'}`),
    );
    return {
      found: `an HTML page with ${forms.length} form${forms.length === 1 ? '' : 's'} carrying SAML`,
      messages: list.messages,
    };
  }
  requireWellFormed(text, 'the capture');
  const list = new MessageList();
  list.add({ origin: 'the capture (XML)', param: 'message', binding: 'none', xml: text });
  return { found: 'an XML document', messages: list.messages };
}

/**
 * Reads a capture: a SAML-tracer JSON export, a HAR file, an HTML page with a SAML form, a URL
 * or form body carrying SAMLRequest/SAMLResponse, a (URL-encoded) base64 message, or the
 * decoded XML. Throws ERR_CAPTURE_FORMAT when the input is none of these, and
 * ERR_CAPTURE_MALFORMED when a message in it is cut short or broken, both saying what was found.
 */
export function readCapture(input: string): Capture {
  const text = input.replace(/^\uFEFF/, '').trim();
  if (!text) throw new HarnessError('ERR_CAPTURE_FORMAT', 'the capture is empty');
  if (/^[{[]/.test(text)) return readJson(text);
  if (text.startsWith('<')) return readMarkup(text);
  if (/(^|[?&])SAML(Request|Response)=/.test(text)) {
    const list = new MessageList();
    if (/^https?:\/\//i.test(text)) {
      addFromUrl(list, text, 'the URL');
      return { found: 'a URL with a SAML message in its query', messages: list.messages };
    }
    addFromForm(list, new URLSearchParams(text), 'the form body');
    return { found: 'a form body with a SAML message', messages: list.messages };
  }
  const compact = text.replace(/\s+/g, '');
  if (/^([A-Za-z0-9+/=_-]|%[0-9A-Fa-f]{2})+$/.test(compact) && compact.length >= 16) {
    const list = new MessageList();
    const encoded = /%[0-9A-Fa-f]{2}/.test(compact);
    const what = `a ${encoded ? 'URL-encoded ' : ''}base64 message`;
    list.add({
      origin: `the capture (${what})`,
      param: 'message',
      binding: 'none',
      xml: decodeParam(compact, 'post', `the capture (${what})`),
    });
    return { found: what, messages: list.messages };
  }
  throw new HarnessError(
    'ERR_CAPTURE_FORMAT',
    `the capture is not a SAML-tracer export, a HAR file, XML, an HTML page with a SAML form, a URL or form body with SAMLResponse, or base64; it begins ${begins(text)}`,
  );
}
