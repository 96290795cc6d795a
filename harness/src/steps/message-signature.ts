import { verify } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import type { CapturedSamlMessage } from '../drivers/driver.js';
import { verifies } from '../import/signatures.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';

/** Hash and encoding of each SigAlg a query signature may name (XML-DSig algorithm URIs). */
const SIG_ALGS: Record<string, { hash: string; ecdsa?: true }> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { hash: 'sha1' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', ecdsa: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', ecdsa: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', ecdsa: true },
};

/**
 * SAML Bindings 3.4.4.1: the signature of an HTTP-Redirect message is over
 * `SAMLRequest=…&RelayState=…&SigAlg=…` (or SAMLResponse), each value exactly as URL-encoded in
 * the query the sender wrote.
 */
export function querySignatureValid(query: string, certPem: string): boolean {
  const raw = new Map<string, string>();
  for (const part of query.split('&')) {
    const at = part.indexOf('=');
    const key = at < 0 ? part : part.slice(0, at);
    if (!raw.has(key)) raw.set(key, at < 0 ? '' : part.slice(at + 1));
  }
  const param = raw.has('SAMLRequest') ? 'SAMLRequest' : 'SAMLResponse';
  const sigAlg = raw.get('SigAlg');
  const signature = raw.get('Signature');
  if (!raw.has(param) || sigAlg === undefined || signature === undefined) return false;
  const alg = SIG_ALGS[decodeURIComponent(sigAlg.replace(/\+/g, ' '))];
  if (!alg) return false;
  const signed = [param, 'RelayState', 'SigAlg']
    .filter((k) => raw.has(k))
    .map((k) => `${k}=${raw.get(k)}`)
    .join('&');
  try {
    return verify(
      alg.hash,
      Buffer.from(signed),
      alg.ecdsa ? { key: certPem, dsaEncoding: 'ieee-p1363' } : certPem,
      Buffer.from(decodeURIComponent(signature.replace(/\+/g, ' ')), 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * An HTTP-POST message's enveloped signature: a ds:Signature child of the root that names the
 * root's ID and verifies (XML-DSig core validation) with `certPem`.
 */
export function envelopedSignatureValid(xml: string, certPem: string): boolean {
  const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (!root) return false;
  const signature = Array.from(root.childNodes).find(
    (n): n is Element =>
      n.nodeType === 1 && (n as Element).namespaceURI === DS && (n as Element).localName === 'Signature',
  );
  if (!signature) return false;
  const references = signature.getElementsByTagNameNS(DS, 'Reference');
  const id = root.getAttribute('ID');
  if (references.length !== 1 || !id || references[0]!.getAttribute('URI') !== `#${id}`) return false;
  return verifies(xml, signature as unknown as Element, certPem);
}

/** Whether a captured message's signature (query or enveloped, by its binding) verifies with `certPem`. */
export const messageSignatureValid = (m: CapturedSamlMessage, certPem: string): boolean =>
  m.binding === 'redirect'
    ? m.query !== undefined && querySignatureValid(m.query, certPem)
    : envelopedSignatureValid(m.xml, certPem);
