import { XMLSerializer } from '@xmldom/xmldom';
import { parseWellFormed } from '../xml/parse.js';
import { el, toWire, type XmlElement } from '../xml/element.js';
import type { SignatureAlgorithm } from '../xmldsig/algorithms.js';
import { signEnveloped, type SigningKey } from '../xmldsig/sign.js';

/** The namespaces mutations find elements by; prefixes differ per vendor and are never relied on. */
export const NS = {
  SAMLP: 'urn:oasis:names:tc:SAML:2.0:protocol',
  SAML: 'urn:oasis:names:tc:SAML:2.0:assertion',
  DS: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Parses a response the IdP itself wrote; a problem here is a bug, so it throws. */
export function parseXml(xml: string): Document {
  const parsed = parseWellFormed(xml);
  if (!parsed.doc) throw new Error(`cannot parse the built response: ${parsed.problem}`);
  return parsed.doc;
}

/** Writes the document back out with an XML declaration, the way the IdP sends it. */
export function serialize(doc: Document): string {
  const root = new XMLSerializer().serializeToString(doc.documentElement as never);
  return XML_DECLARATION + root;
}

export function children(node: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).namespaceURI === ns && (c as Element).localName === local)
      out.push(c as Element);
  }
  return out;
}

export function child(node: Element, ns: string, local: string): Element {
  const found = children(node, ns, local)[0];
  if (!found) throw new Error(`<${node.localName}> has no ${local} child`);
  return found;
}

export function all(node: Element | Document, ns: string, local: string): Element[] {
  return Array.from(node.getElementsByTagNameNS(ns, local));
}

/** The Response's single Assertion (the IdP's own, unencrypted). */
export const assertionOf = (doc: Document): Element => child(doc.documentElement, NS.SAML, 'Assertion');

/** The enveloped Signature that is a direct child of `node`, if any. */
export const ownSignature = (node: Element): Element | undefined => children(node, NS.DS, 'Signature')[0];

export function removeSignatures(node: Element): void {
  for (const s of children(node, NS.DS, 'Signature')) node.removeChild(s);
}

/** Replaces the text of an element (NameID, AttributeValue, Audience …). */
export function setText(node: Element, text: string): void {
  while (node.firstChild) node.removeChild(node.firstChild);
  node.appendChild(node.ownerDocument.createTextNode(text));
}

export function textOf(node: Element): string {
  return node.textContent ?? '';
}

/** The node after which an enveloped Signature goes: after the element's Issuer (SAML Core 5.4.1). */
function signaturePosition(x: XmlElement): number {
  const i = x.children.findIndex((c) => typeof c !== 'string' && /(^|:)Issuer$/.test(c.name));
  return i + 1;
}

function toModel(node: Element, index: Map<Element, XmlElement>): XmlElement {
  const attrs: [string, string][] = [];
  for (let i = 0; i < node.attributes.length; i++) {
    const a = node.attributes.item(i)!;
    attrs.push([a.name, a.value]);
  }
  const out = el(node.tagName, attrs, []);
  index.set(node, out);
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) out.children.push(toModel(c as Element, index));
    else if (c.nodeType === 3 || c.nodeType === 4) out.children.push((c as Text).data);
  }
  return out;
}

export interface ResignOptions {
  key: SigningKey;
  algorithm: SignatureAlgorithm;
  /** Elements to sign, innermost first (Assertions before the Response). */
  targets: Element[];
}

/**
 * Signs elements of an edited document again with the IdP's by-construction signer, so the
 * result carries valid signatures by `key` over the edited content.
 */
export function resign(doc: Document, opts: ResignOptions): string {
  const index = new Map<Element, XmlElement>();
  const root = toModel(doc.documentElement, index);
  for (const t of opts.targets) {
    const x = index.get(t);
    if (!x) throw new Error(`<${t.localName}> is not in the document`);
    signEnveloped(root, x, signaturePosition(x), opts.key, {
      algorithm: opts.algorithm,
      prefix: 'ds',
    });
  }
  return XML_DECLARATION + toWire(root);
}

export const base64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
