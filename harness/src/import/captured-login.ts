import { DOMParser } from '@xmldom/xmldom';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export interface CapturedAttribute {
  name: string;
  nameFormat?: string;
  values: string[];
  /** The attribute carried an AttributeValue with no text, or no AttributeValue at all. */
  emptyValue: boolean;
}

export interface CapturedSignature {
  on: 'Response' | 'Assertion';
  /** The ds:Signature element, and the text of the document it is in, for verification. */
  node: Element;
  document: string;
  signatureMethod: string;
  digestMethod: string;
  canonicalization: string;
  /** The certificate in the signature's KeyInfo, as PEM. */
  certificatePem?: string;
}

export interface CapturedAssertion {
  issuer?: string;
  issueInstant?: string;
  nameId?: { value: string; format?: string };
  audiences: string[];
  recipient?: string;
  scdNotOnOrAfter?: string;
  notBefore?: string;
  notOnOrAfter?: string;
  authnInstant?: string;
  sessionIndex?: string;
  sessionNotOnOrAfter?: string;
  authnContextClassRef?: string;
  attributes: CapturedAttribute[];
}

/** The facts of one login Response, read off the wire form. */
export interface CapturedLogin {
  xml: string;
  issuer?: string;
  destination?: string;
  inResponseTo?: string;
  issueInstant?: string;
  /** The clear-text assertion (also when it was decrypted with an SP key). */
  assertion?: CapturedAssertion;
  encryption?: { dataAlgorithm?: string; keyAlgorithm?: string; spCertificatePem?: string };
  /** The EncryptedAssertion holds a clear Assertion and no EncryptedData: it was decrypted in place. */
  decryptedInPlace?: boolean;
  signatures: CapturedSignature[];
}

const kids = (e: Element | undefined, ns: string, local: string): Element[] =>
  e
    ? Array.from(e.childNodes).filter(
        (n): n is Element =>
          n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local,
      )
    : [];
const kid = (e: Element | undefined, ns: string, local: string) => kids(e, ns, local)[0];
const text = (e: Element | undefined) => e?.textContent?.trim() || undefined;
const attr = (e: Element | undefined, name: string) => e?.getAttribute(name) || undefined;
function descendant(e: Element | undefined, ns: string, local: string): Element | undefined {
  if (!e) return undefined;
  return Array.from(e.getElementsByTagNameNS(ns, local))[0];
}

/** Base64 certificate text as PEM, 64 characters a line. */
export function toPem(b64: string): string {
  const body = b64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

function signatureOf(sig: Element, on: 'Response' | 'Assertion', document: string): CapturedSignature {
  const si = kid(sig, DS, 'SignedInfo');
  const cert = text(descendant(kid(sig, DS, 'KeyInfo'), DS, 'X509Certificate'));
  return {
    on,
    node: sig,
    document,
    signatureMethod: attr(kid(si, DS, 'SignatureMethod'), 'Algorithm') ?? 'none',
    digestMethod: attr(descendant(si, DS, 'DigestMethod'), 'Algorithm') ?? 'none',
    canonicalization: attr(kid(si, DS, 'CanonicalizationMethod'), 'Algorithm') ?? 'none',
    ...(cert ? { certificatePem: toPem(cert) } : {}),
  };
}

function readAssertion(a: Element): CapturedAssertion {
  const subject = kid(a, SAML, 'Subject');
  const nameId = kid(subject, SAML, 'NameID');
  const scd = kid(kid(subject, SAML, 'SubjectConfirmation'), SAML, 'SubjectConfirmationData');
  const conditions = kid(a, SAML, 'Conditions');
  const authn = kid(a, SAML, 'AuthnStatement');
  const attributes = kids(a, SAML, 'AttributeStatement').flatMap((st) =>
    kids(st, SAML, 'Attribute').map((at): CapturedAttribute => {
      const values = kids(at, SAML, 'AttributeValue');
      const nil = (v: Element) => v.getAttributeNS(XSI, 'nil') === 'true';
      return {
        name: at.getAttribute('Name') ?? '',
        ...(attr(at, 'NameFormat') ? { nameFormat: attr(at, 'NameFormat') } : {}),
        values: values.filter((v) => !nil(v) && (v.textContent ?? '') !== '').map((v) => v.textContent ?? ''),
        emptyValue: values.length === 0 || values.some((v) => nil(v) || (v.textContent ?? '') === ''),
      };
    }),
  );
  return {
    issuer: text(kid(a, SAML, 'Issuer')),
    issueInstant: attr(a, 'IssueInstant'),
    ...(nameId ? { nameId: { value: nameId.textContent ?? '', format: attr(nameId, 'Format') } } : {}),
    audiences: kids(kid(conditions, SAML, 'AudienceRestriction'), SAML, 'Audience').map(
      (e) => e.textContent?.trim() ?? '',
    ),
    recipient: attr(scd, 'Recipient'),
    scdNotOnOrAfter: attr(scd, 'NotOnOrAfter'),
    notBefore: attr(conditions, 'NotBefore'),
    notOnOrAfter: attr(conditions, 'NotOnOrAfter'),
    authnInstant: attr(authn, 'AuthnInstant'),
    sessionIndex: attr(authn, 'SessionIndex'),
    sessionNotOnOrAfter: attr(authn, 'SessionNotOnOrAfter'),
    authnContextClassRef: text(descendant(authn, SAML, 'AuthnContextClassRef')),
    attributes,
  };
}

/**
 * Reads a login Response. `decryptedAssertion` is the clear Assertion of an EncryptedAssertion
 * when the SP key was given; the wire form (`xml`) stays the one captured.
 */
export function readCapturedLogin(xml: string, decryptedAssertion?: string): CapturedLogin {
  const root = new DOMParser({ errorHandler: () => undefined }).parseFromString(
    xml,
    'text/xml',
  ).documentElement!;
  const clear = kid(root, SAML, 'Assertion');
  const encrypted = kid(root, SAML, 'EncryptedAssertion');
  const inner = decryptedAssertion
    ? new DOMParser({ errorHandler: () => undefined }).parseFromString(decryptedAssertion, 'text/xml')
        .documentElement!
    : undefined;
  // A file decrypted in place keeps the EncryptedAssertion wrapper around the clear Assertion.
  const assertion = clear ?? inner ?? kid(encrypted, SAML, 'Assertion');
  const signatures: CapturedSignature[] = [];
  const rs = kid(root, DS, 'Signature');
  if (rs) signatures.push(signatureOf(rs, 'Response', xml));
  const as = kid(assertion, DS, 'Signature');
  if (as) signatures.push(signatureOf(as, 'Assertion', assertion === inner ? decryptedAssertion! : xml));
  let encryption: CapturedLogin['encryption'];
  const data = kid(encrypted, XENC, 'EncryptedData');
  if (encrypted && data) {
    const key = descendant(encrypted, XENC, 'EncryptedKey');
    const spCert = text(descendant(kid(key, DS, 'KeyInfo'), DS, 'X509Certificate'));
    encryption = {
      dataAlgorithm: attr(kid(data, XENC, 'EncryptionMethod'), 'Algorithm'),
      keyAlgorithm: attr(kid(key, XENC, 'EncryptionMethod'), 'Algorithm'),
      ...(spCert ? { spCertificatePem: toPem(spCert) } : {}),
    };
  }
  return {
    xml,
    issuer: text(kid(root, SAML, 'Issuer')) ?? text(kid(assertion, SAML, 'Issuer')),
    destination: attr(root, 'Destination'),
    inResponseTo: attr(root, 'InResponseTo'),
    issueInstant: attr(root, 'IssueInstant'),
    ...(assertion ? { assertion: readAssertion(assertion) } : {}),
    ...(encryption ? { encryption } : {}),
    ...(encrypted && !data ? { decryptedInPlace: true } : {}),
    signatures,
  };
}
