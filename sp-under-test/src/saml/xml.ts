import { DOMParser } from '@xmldom/xmldom';
import { SamlRejected } from './errors.js';

export const NS = {
  SAMLP: 'urn:oasis:names:tc:SAML:2.0:protocol',
  SAML: 'urn:oasis:names:tc:SAML:2.0:assertion',
  DS: 'http://www.w3.org/2000/09/xmldsig#',
  MD: 'urn:oasis:names:tc:SAML:2.0:metadata',
} as const;

/**
 * @xmldom/xmldom's nodes are W3C DOM nodes at run time, but its type declarations are its own,
 * not lib.dom's. This is the one place that crosses between the two.
 */
export function asDom<T extends Node | Document | ArrayLike<Node>>(node: unknown): T {
  return node as T;
}

/** Parses untrusted XML. DTDs are refused before the parser sees them, and any parser complaint is fatal. */
export function parseUntrusted(xml: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SamlRejected('ERR_SAML_DTD_FORBIDDEN');
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: (level: string, msg: string) => {
      if (level !== 'warning') problems.push(msg);
    },
  }).parseFromString(xml, 'text/xml');
  if (problems.length || !doc?.documentElement) {
    throw new SamlRejected('ERR_SAML_MALFORMED', problems[0] ?? 'no document element');
  }
  return asDom<Document>(doc);
}

export function childElements(node: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).namespaceURI === ns && (c as Element).localName === local) {
      out.push(c as Element);
    }
  }
  return out;
}

export function firstChild(node: Element, ns: string, local: string): Element | undefined {
  return childElements(node, ns, local)[0];
}

export function descendants(node: Element | Document, ns: string, local: string): Element[] {
  return Array.from(asDom<ArrayLike<Element>>(node.getElementsByTagNameNS(ns, local)));
}

/** The text of an element if it consists of text only; undefined if comments, PIs or elements split it. */
export function pureText(node: Element): string | undefined {
  let text = '';
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3 || c.nodeType === 4) text += (c as Text).data;
    else return undefined;
  }
  return text;
}
