import { NS, child, children } from './dom.js';

/** A new element in the same namespace and with the same prefix as `like`. */
export function sibling(doc: Document, like: Element, local: string): Element {
  return doc.createElementNS(like.namespaceURI!, like.prefix ? `${like.prefix}:${local}` : local);
}

/** A ds:Object inside `signature`, holding `content`. */
export function inObject(doc: Document, signature: Element, content: Element): void {
  const object = sibling(doc, signature, 'Object');
  object.appendChild(content);
  signature.appendChild(object);
}

/**
 * samlp:Extensions of the Response (SAML Core 3.2.2: after Issuer and Signature, before
 * Status), holding `content`; an existing Extensions element is reused.
 */
export function inExtensions(doc: Document, response: Element, content: Node): void {
  let extensions = children(response, NS.SAMLP, 'Extensions')[0];
  if (!extensions) {
    extensions = doc.createElementNS(
      NS.SAMLP,
      response.prefix ? `${response.prefix}:Extensions` : 'Extensions',
    );
    response.insertBefore(extensions, child(response, NS.SAMLP, 'Status'));
  }
  extensions.appendChild(content);
}
