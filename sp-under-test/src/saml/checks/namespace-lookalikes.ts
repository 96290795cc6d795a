import { SamlRejected } from '../errors.js';
import { NS } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/** Local names of the elements the ACS reads, with the one namespace each belongs to. */
const HOME: Record<string, string> = Object.fromEntries([
  ...['Response', 'Status', 'StatusCode'].map((n) => [n, NS.SAMLP]),
  ...[
    'Assertion',
    'EncryptedAssertion',
    'Issuer',
    'Subject',
    'NameID',
    'SubjectConfirmation',
    'SubjectConfirmationData',
    'Conditions',
    'AudienceRestriction',
    'Audience',
    'Advice',
    'AuthnStatement',
    'AttributeStatement',
    'Attribute',
    'AttributeValue',
  ].map((n) => [n, NS.SAML]),
  ...[
    'Signature',
    'SignedInfo',
    'Reference',
    'DigestValue',
    'SignatureValue',
    'KeyInfo',
    'X509Certificate',
  ].map((n) => [n, NS.DS]),
]);

/**
 * SAML Core 1.3 and the namespace-confusion parser differential: an element named like one
 * the ACS reads (Assertion, Signature, NameID …) must be in that element's namespace. A
 * look-alike in another namespace, made by redeclaring a prefix or changing the default
 * namespace, means a prefix- or name-based reader and this namespace-aware one would see
 * different messages.
 */
export const namespaceLookalikes: AcsCheck = (ctx) => {
  const all = need(ctx.doc, 'doc').getElementsByTagName('*') as unknown as ArrayLike<Element>;
  for (let i = 0; i < all.length; i++) {
    const el = all[i]!;
    const home = HOME[el.localName ?? ''];
    if (home && el.namespaceURI !== home) {
      throw new SamlRejected(
        'ERR_SAML_NAMESPACE',
        `<${el.tagName}> is in ${el.namespaceURI ?? 'no namespace'}, not ${home}`,
      );
    }
  }
};
