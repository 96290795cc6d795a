import { SignedXml } from 'xml-crypto';
import { certificatePem } from './certificates.js';
import { SamlRejected } from './errors.js';
import { NS, asDom, childElements, descendants, parseUntrusted } from './xml.js';

export interface VerifiedAssertion {
  /** The exact bytes covered by a valid signature (the Assertion, or the whole Response). */
  signedXml: string;
  /** The Assertion element inside the signed bytes. */
  assertion: Element;
  /** The Response element, when the Response itself was the signed reference. */
  signedResponse: Element | undefined;
  signatureAlgorithm: string;
}

const ACCEPTED_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
]);

/**
 * Finds the signatures on the Response and on its Assertion, checks each against the
 * trusted certificates, and returns what a valid one covers. Everything the SP reads from
 * an assertion afterwards is read from these verified bytes, never from the raw document.
 */
export function verifyAssertion(
  xml: string,
  doc: Document,
  certificates: readonly string[],
  opts: { allowSha1: boolean },
): VerifiedAssertion {
  const root = doc.documentElement;
  const candidates: Element[] = [...childElements(root, NS.DS, 'Signature')];
  for (const a of childElements(root, NS.SAML, 'Assertion'))
    candidates.push(...childElements(a, NS.DS, 'Signature'));
  if (candidates.length === 0)
    throw new SamlRejected('ERR_SAML_SIGNATURE_INVALID', 'the message is not signed');

  let lastProblem = 'no signature verified with the trusted certificates';
  for (const sigNode of candidates) {
    const method = descendants(sigNode, NS.DS, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? '';
    if (!ACCEPTED_ALGORITHMS.has(method) || (!opts.allowSha1 && method.endsWith('rsa-sha1'))) {
      throw new SamlRejected('ERR_SAML_WEAK_ALGORITHM', method || 'no SignatureMethod');
    }
    for (const cert of certificates) {
      const sx = new SignedXml({ publicCert: certificatePem(cert) });
      try {
        sx.loadSignature(asDom<Node>(sigNode));
        if (!sx.checkSignature(xml)) continue;
      } catch (e) {
        lastProblem = (e as Error).message;
        continue;
      }
      for (const bytes of sx.getSignedReferences()) {
        const signedDoc = parseUntrusted(bytes);
        const top = signedDoc.documentElement;
        if (top.namespaceURI === NS.SAML && top.localName === 'Assertion') {
          return { signedXml: bytes, assertion: top, signedResponse: undefined, signatureAlgorithm: method };
        }
        if (top.namespaceURI === NS.SAMLP && top.localName === 'Response') {
          const inner = childElements(top, NS.SAML, 'Assertion');
          if (inner.length !== 1)
            throw new SamlRejected('ERR_SAML_MULTIPLE_ASSERTIONS', `${inner.length} assertions`);
          return { signedXml: bytes, assertion: inner[0]!, signedResponse: top, signatureAlgorithm: method };
        }
      }
      lastProblem = 'the signature covers neither the Response nor an Assertion';
    }
  }
  throw new SamlRejected('ERR_SAML_SIGNATURE_INVALID', lastProblem);
}
