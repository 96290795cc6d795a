import { DOMParser } from '@xmldom/xmldom';
import { HarnessError } from '../errors.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const BINDINGS = {
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
} as const;

/** SLO endpoints per binding (SAML Bindings 3.4 HTTP-Redirect, 3.5 HTTP-POST). */
export interface SloUrls {
  redirect?: string;
  post?: string;
}

export interface SpMetadata {
  entityId: string;
  /** The AssertionConsumerService for HTTP-POST (else the first one). */
  acsUrl: string;
  /** The SingleLogoutService endpoints, per binding, when the metadata names any. */
  sloUrls?: SloUrls;
}

const elements = (doc: Document, name: string) =>
  Array.from(doc.getElementsByTagNameNS(MD, name) as unknown as ArrayLike<Element>);

/**
 * Reads an SP's entity ID, ACS URL (HTTP-POST) and SingleLogoutService endpoints per binding
 * out of its metadata (SAML Metadata 2.4.4 SPSSODescriptor, 2.2.2 endpoints).
 */
export function readSpMetadata(xml: string): SpMetadata {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const ed = elements(doc, 'EntityDescriptor')[0];
  const acs = elements(doc, 'AssertionConsumerService');
  const post = acs.find((a) => a.getAttribute('Binding') === BINDINGS.post) ?? acs[0];
  const entityId = ed?.getAttribute('entityID');
  const acsUrl = post?.getAttribute('Location');
  if (!entityId || !acsUrl)
    throw new HarnessError(
      'ERR_TARGET_PROTOCOL',
      'the SP metadata has no entityID or AssertionConsumerService',
    );
  const sloUrls: SloUrls = {};
  for (const slo of elements(doc, 'SingleLogoutService')) {
    const binding = slo.getAttribute('Binding');
    const location = slo.getAttribute('Location');
    if (!location) continue;
    if (binding === BINDINGS.redirect) sloUrls.redirect ??= location;
    if (binding === BINDINGS.post) sloUrls.post ??= location;
  }
  return { entityId, acsUrl, ...(sloUrls.redirect || sloUrls.post ? { sloUrls } : {}) };
}

/**
 * The SLO URL and binding an IdP tenant sends logout messages with: the binding asked for, else
 * one URL for both (the IdP's own choice of binding), else the SP's HTTP-Redirect endpoint, else
 * its HTTP-POST one. Empty when the SP has no endpoint for it.
 */
export function chooseSloEndpoint(
  urls: SloUrls | undefined,
  wanted: 'redirect' | 'post' | undefined,
): { sloUrl?: string; sloBinding?: 'redirect' | 'post' } {
  const u = urls ?? {};
  if (wanted) return u[wanted] ? { sloUrl: u[wanted], sloBinding: wanted } : {};
  if (u.redirect && u.redirect === u.post) return { sloUrl: u.redirect };
  if (u.redirect) return { sloUrl: u.redirect, sloBinding: 'redirect' };
  if (u.post) return { sloUrl: u.post, sloBinding: 'post' };
  return {};
}
