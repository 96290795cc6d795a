import { DOMParser } from '@xmldom/xmldom';
import { signedReferences } from '../import/signatures.js';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * The values a hostile response carries, split by whether a signature of the IdP covers them.
 * `forged`: NameIDs and attribute values found only outside everything the IdP's key signs
 * (mallory.admin@…, an Admin role in samlp:Extensions). `opaque`: the message holds an
 * EncryptedAssertion the harness cannot open, so its signed values are unknown and only
 * identities can be told forged.
 */
export interface MessageValues {
  signed: Set<string>;
  forged: Set<string>;
  opaque: boolean;
}

const parse = (xml: string) =>
  new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml') as unknown as Document;

/** The text of every NameID (and AttributeValue) under `node`, whole (comments and markup inside ignored). */
function valuesIn(node: Document, locals = ['NameID', 'AttributeValue']): string[] {
  const out: string[] = [];
  for (const local of locals) {
    const found = node.getElementsByTagNameNS(SAML, local);
    for (let i = 0; i < found.length; i++) {
      const v = found[i]!.textContent?.trim();
      if (v) out.push(v);
    }
  }
  return out;
}

/** Splits the values of `xml` by the signatures that verify with the IdP's certificate `idpCertPem`. */
export function messageValues(xml: string, idpCertPem: string | undefined): MessageValues {
  const doc = parse(xml);
  const signed = new Set<string>();
  if (idpCertPem) {
    const signatures = doc.getElementsByTagNameNS(DS, 'Signature');
    for (let i = 0; i < signatures.length; i++) {
      const refs = signedReferences(xml, signatures[i]!, idpCertPem) ?? [];
      for (const r of refs) for (const v of valuesIn(parse(r))) signed.add(v);
    }
  }
  const opaque = doc.getElementsByTagNameNS(SAML, 'EncryptedAssertion').length > 0;
  const forged = new Set(valuesIn(doc, opaque ? ['NameID'] : undefined).filter((v) => !signed.has(v)));
  return { signed, forged, opaque };
}

/**
 * The whole text of each NameID or AttributeValue of `xml` that markup splits (a comment or a
 * processing instruction inside it), where a signature of the IdP covers that whole text: the
 * value as the IdP signed it, which a naive reader truncates at the markup.
 */
export function wholeSignedTextsOfSplitValues(xml: string, message: MessageValues): string[] {
  const doc = parse(xml);
  const out: string[] = [];
  for (const local of ['NameID', 'AttributeValue']) {
    const found = doc.getElementsByTagNameNS(SAML, local);
    for (let i = 0; i < found.length; i++) {
      const el = found[i]!;
      const split = Array.from(el.childNodes).some((n) => n.nodeType === 7 || n.nodeType === 8);
      const whole = el.textContent?.trim();
      if (split && whole && message.signed.has(whole)) out.push(whole);
    }
  }
  return out;
}

/** The forged values among `values` (a member's email, name and role values), compared case-insensitively. */
export function forgedAmong(values: readonly string[], message: MessageValues): string[] {
  const forged = new Set([...message.forged].map((v) => v.toLowerCase()));
  const signed = new Set([...message.signed].map((v) => v.toLowerCase()));
  return values.filter((v) => forged.has(v.toLowerCase()) && !signed.has(v.toLowerCase()));
}
