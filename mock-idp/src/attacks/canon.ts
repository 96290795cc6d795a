import { createHash, sign as rsaSign } from 'node:crypto';
import { SignedXml, findAncestorNs } from 'xml-crypto';
import { EXC_C14N } from '../xmldsig/algorithms.js';
import type { SigningKey } from '../xmldsig/sign.js';
import { NS, child, children } from './dom.js';

/** XML-DSig digest and signature method URIs, mapped to Node hash names. */
const HASHES: Record<string, 'sha1' | 'sha256' | 'sha512'> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};

function hashOf(uri: string | null): 'sha1' | 'sha256' | 'sha512' {
  const hash = uri ? HASHES[uri] : undefined;
  if (!hash) throw new Error(`unknown digest or signature method ${uri}`);
  return hash;
}

/** The ds:Reference of a Signature's SignedInfo (the IdP writes exactly one). */
export const referenceOf = (signature: Element): Element =>
  child(child(signature, NS.DS, 'SignedInfo'), NS.DS, 'Reference');

export const digestValueOf = (reference: Element): Element => child(reference, NS.DS, 'DigestValue');

/** The hash the Reference's DigestMethod names. */
export const referenceHash = (reference: Element) =>
  hashOf(child(reference, NS.DS, 'DigestMethod').getAttribute('Algorithm'));

/**
 * The digest a verifier computes for `element` under the transforms of `reference` (XML-DSig
 * Core 4.4.3: enveloped-signature, then exclusive C14N with its InclusiveNamespaces), the way
 * xml-crypto computes it; mutations use it to make a reference match an element they wrote.
 */
export function referenceDigest(element: Element, reference: Element): string {
  const transforms = children(child(reference, NS.DS, 'Transforms'), NS.DS, 'Transform');
  const algorithms = transforms.map((t) => t.getAttribute('Algorithm') ?? '');
  const inclusive = transforms
    .flatMap((t) => children(t, EXC_C14N, 'InclusiveNamespaces'))
    .flatMap((n) => (n.getAttribute('PrefixList') ?? '').split(/\s+/).filter(Boolean));
  const id = element.getAttribute('ID');
  const canonical = new SignedXml().getCanonXml(algorithms, element, {
    inclusiveNamespacesPrefixList: inclusive,
    ancestorNamespaces: id ? findAncestorNs(element.ownerDocument, `//*[@ID='${id}']`) : [],
  });
  return createHash(referenceHash(reference)).update(canonical).digest('base64');
}

/** The digest of zero octets under the Reference's digest method. */
export const emptyDigest = (reference: Element): string =>
  createHash(referenceHash(reference)).update('').digest('base64');

/**
 * Signs a Signature's SignedInfo again with `key` (exclusive C14N, the SignatureMethod it
 * names) and replaces its SignatureValue: the IdP's signature over a SignedInfo the mutation
 * chose.
 */
export function signSignedInfo(signature: Element, key: SigningKey): void {
  const signedInfo = child(signature, NS.DS, 'SignedInfo');
  const method = child(signedInfo, NS.DS, 'SignatureMethod').getAttribute('Algorithm');
  const canonical = new SignedXml().getCanonXml([EXC_C14N], signedInfo);
  const value = rsaSign(hashOf(method), Buffer.from(canonical), key.privateKey).toString('base64');
  const valueEl = child(signature, NS.DS, 'SignatureValue');
  while (valueEl.firstChild) valueEl.removeChild(valueEl.firstChild);
  valueEl.appendChild(valueEl.ownerDocument.createTextNode(value));
}
