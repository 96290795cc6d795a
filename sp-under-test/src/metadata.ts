import { certificateBody } from './saml/certificates.js';
import { SamlRejected } from './saml/errors.js';
import { NS, descendants, parseUntrusted, pureText } from './saml/xml.js';

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  sloUrl: string | null;
  certificates: string[];
}

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** Reads an IdP's entity ID, SSO/SLO endpoints and signing certificates from its SAML metadata. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const doc = parseUntrusted(xml);
  const entity = descendants(doc, NS.MD, 'EntityDescriptor')[0];
  const idp = descendants(doc, NS.MD, 'IDPSSODescriptor')[0];
  if (!entity || !idp) throw new SamlRejected('ERR_SAML_MALFORMED', 'no IDPSSODescriptor in the metadata');
  const endpoint = (local: string) => {
    const all = descendants(idp, NS.MD, local);
    const chosen = all.find((e) => e.getAttribute('Binding') === REDIRECT) ?? all[0];
    return chosen?.getAttribute('Location') ?? null;
  };
  // SAML Metadata 2.4.1.1: a KeyDescriptor without use holds a key for signing and encryption alike.
  const certificates = descendants(idp, NS.MD, 'KeyDescriptor')
    .filter((k) => ['', 'signing'].includes(k.getAttribute('use') ?? ''))
    .flatMap((k) => descendants(k, NS.DS, 'X509Certificate'))
    .map((c) => certificateBody(pureText(c) ?? ''))
    .filter(Boolean);
  const ssoUrl = endpoint('SingleSignOnService');
  const entityId = entity.getAttribute('entityID');
  if (!entityId || !ssoUrl || certificates.length === 0) {
    throw new SamlRejected(
      'ERR_SAML_MALFORMED',
      'metadata lacks entityID, SingleSignOnService or a signing certificate',
    );
  }
  return { entityId, ssoUrl, sloUrl: endpoint('SingleLogoutService'), certificates };
}
