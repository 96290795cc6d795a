import { inflateRawSync } from 'node:zlib';
import { parseWellFormed } from '../xml/parse.js';
import { IdpError } from '../errors.js';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const MAX_REQUEST_BYTES = 64 * 1024;

export interface AuthnRequest {
  id: string;
  issuer: string;
  issueInstant: string;
  destination: string | undefined;
  acsUrl: string | undefined;
  forceAuthn: boolean;
  nameIdFormat: string | undefined;
  /** The decoded request exactly as received. */
  xml: string;
}

/** Decodes SAMLRequest from the HTTP-Redirect (DEFLATE + base64) or HTTP-POST (base64) binding. */
export function decodeSamlRequest(value: unknown, binding: 'redirect' | 'post'): string {
  if (typeof value !== 'string' || value === '') throw new IdpError('ERR_AUTHN_REQUEST_MISSING');
  if (value.length > MAX_REQUEST_BYTES * 2) throw new IdpError('ERR_AUTHN_REQUEST_TOO_LARGE');
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new IdpError('ERR_AUTHN_REQUEST_ENCODING', 'not base64');
  const raw = Buffer.from(compact, 'base64');
  if (binding === 'post') return raw.toString('utf8');
  try {
    return inflateRawSync(raw, { maxOutputLength: MAX_REQUEST_BYTES }).toString('utf8');
  } catch (e) {
    throw new IdpError('ERR_AUTHN_REQUEST_ENCODING', (e as Error).message);
  }
}

/** SAML Core 3.4.1: reads and checks the parts of an AuthnRequest the IdP acts on. */
export function parseAuthnRequest(xml: string): AuthnRequest {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new IdpError('ERR_AUTHN_REQUEST_DTD');
  const parsed = parseWellFormed(xml);
  if (!parsed.doc) throw new IdpError('ERR_AUTHN_REQUEST_MALFORMED', parsed.problem);
  const root = parsed.doc.documentElement;
  if (root.namespaceURI !== SAMLP || root.localName !== 'AuthnRequest') {
    throw new IdpError('ERR_AUTHN_REQUEST_MALFORMED', `root element is ${root.localName}`);
  }
  const id = root.getAttribute('ID');
  const issueInstant = root.getAttribute('IssueInstant');
  if (!id || !/^[A-Za-z_][\w.-]*$/.test(id))
    throw new IdpError('ERR_AUTHN_REQUEST_MALFORMED', 'ID is missing or not an NCName');
  if (root.getAttribute('Version') !== '2.0')
    throw new IdpError('ERR_AUTHN_REQUEST_MALFORMED', 'Version is not 2.0');
  if (!issueInstant || Number.isNaN(Date.parse(issueInstant))) {
    throw new IdpError('ERR_AUTHN_REQUEST_MALFORMED', 'IssueInstant is missing or not a date');
  }
  let issuer = '';
  let nameIdFormat: string | undefined;
  for (let c = root.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== 1) continue;
    const e = c as Element;
    if (e.namespaceURI === SAML && e.localName === 'Issuer') issuer = (e.textContent ?? '').trim();
    if (e.namespaceURI === SAMLP && e.localName === 'NameIDPolicy')
      nameIdFormat = e.getAttribute('Format') ?? undefined;
  }
  if (!issuer) throw new IdpError('ERR_AUTHN_REQUEST_MALFORMED', 'no Issuer');
  const binding = root.getAttribute('ProtocolBinding');
  if (binding && binding !== HTTP_POST) throw new IdpError('ERR_AUTHN_REQUEST_BINDING', binding);
  return {
    id,
    issuer,
    issueInstant,
    destination: root.getAttribute('Destination') || undefined,
    acsUrl: root.getAttribute('AssertionConsumerServiceURL') || undefined,
    forceAuthn: root.getAttribute('ForceAuthn') === 'true',
    nameIdFormat,
    xml,
  };
}
