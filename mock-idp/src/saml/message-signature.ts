import { createPublicKey, sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { IdpError } from '../errors.js';
import { DSIG_NS, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../xmldsig/algorithms.js';

/**
 * Signatures on protocol messages (AuthnRequest, LogoutRequest, LogoutResponse), for both
 * bindings: the HTTP-Redirect binding signs the query string (SAML Bindings 3.4.4.1), the
 * HTTP-POST binding carries an enveloped XML signature on the message element.
 */

const HASH_OF_SIGALG: Record<string, 'sha1' | 'sha256' | 'sha512'> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};

/** The raw (still URL-encoded) value of each query parameter, in order. */
function rawParams(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.replace(/^\?/, '').split('&')) {
    const i = part.indexOf('=');
    if (i > 0 && !out.has(part.slice(0, i))) out.set(part.slice(0, i), part.slice(i + 1));
  }
  return out;
}

const publicKeyOf = (certPem: string): KeyObject => createPublicKey(certPem);

/**
 * Checks the HTTP-Redirect signature over `SAMLRequest|SAMLResponse`, `RelayState` and
 * `SigAlg` exactly as they were encoded in the URL. Returns false when the query carries
 * no signature; throws ERR_REQUEST_SIGNATURE when it carries a bad one.
 */
export function verifyRedirectSignature(rawQuery: string, certPem: string): boolean {
  const p = rawParams(rawQuery);
  const sig = p.get('Signature');
  const sigAlg = p.get('SigAlg');
  if (sig === undefined && sigAlg === undefined) return false;
  if (!sig || !sigAlg) throw new IdpError('ERR_REQUEST_SIGNATURE', 'Signature and SigAlg must come together');
  const hash = HASH_OF_SIGALG[decodeURIComponent(sigAlg)];
  if (!hash) throw new IdpError('ERR_REQUEST_SIGNATURE', `unsupported SigAlg ${decodeURIComponent(sigAlg)}`);
  const messageName = p.has('SAMLRequest') ? 'SAMLRequest' : 'SAMLResponse';
  const parts = [`${messageName}=${p.get(messageName) ?? ''}`];
  if (p.has('RelayState')) parts.push(`RelayState=${p.get('RelayState')}`);
  parts.push(`SigAlg=${sigAlg}`);
  const ok = rsaVerify(
    hash,
    Buffer.from(parts.join('&')),
    publicKeyOf(certPem),
    Buffer.from(decodeURIComponent(sig), 'base64'),
  );
  if (!ok) throw new IdpError('ERR_REQUEST_SIGNATURE', 'the query-string signature does not verify');
  return true;
}

/**
 * Checks the enveloped signature on the root element of a POSTed message: it must reference
 * the root by its ID and verify with the SP certificate. Returns false when unsigned.
 */
export function verifyPostSignature(xml: string, certPem: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (!root) throw new IdpError('ERR_REQUEST_SIGNATURE', 'no document element');
  const sigs: Element[] = [];
  for (let c = root.firstChild; c; c = c.nextSibling) {
    const e = c as Element;
    if (c.nodeType === 1 && e.namespaceURI === DSIG_NS && e.localName === 'Signature') sigs.push(e);
  }
  if (sigs.length === 0) return false;
  if (sigs.length > 1) throw new IdpError('ERR_REQUEST_SIGNATURE', 'more than one signature');
  const sx = new SignedXml({ publicCert: certPem });
  sx.loadSignature(sigs[0]!);
  let ok = false;
  try {
    ok = sx.checkSignature(xml);
  } catch (e) {
    throw new IdpError('ERR_REQUEST_SIGNATURE', (e as Error).message);
  }
  const refs = sx.getReferences();
  const id = root.getAttribute('ID');
  if (!ok || refs.length !== 1 || !id || refs[0]!.uri !== `#${id}`) {
    throw new IdpError('ERR_REQUEST_SIGNATURE', 'the signature does not cover the message');
  }
  return true;
}

/**
 * Builds an HTTP-Redirect query string for a DEFLATEd, base64 message, signed with `key`
 * (SAML Bindings 3.4.4.1).
 */
export function signedRedirectQuery(
  messageName: 'SAMLRequest' | 'SAMLResponse',
  deflatedBase64: string,
  relayState: string | undefined,
  key: KeyObject,
  algorithm: SignatureAlgorithm,
): string {
  const alg = SIGNATURE_ALGORITHMS[algorithm];
  let q = `${messageName}=${encodeURIComponent(deflatedBase64)}`;
  if (relayState !== undefined) q += `&RelayState=${encodeURIComponent(relayState)}`;
  q += `&SigAlg=${encodeURIComponent(alg.signatureUri)}`;
  const sig = rsaSign(alg.hash, Buffer.from(q), key).toString('base64');
  return `${q}&Signature=${encodeURIComponent(sig)}`;
}
