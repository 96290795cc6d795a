import { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { CapturedSignature } from './captured-login.js';

/** Whether one captured signature verifies, and with which certificate. */
export interface SignatureVerdict {
  on: 'Response' | 'Assertion';
  algorithm: string;
  verifies: boolean;
  /** `the metadata certificate` or `the certificate in its KeyInfo`. */
  with: string;
}

const samePublicKey = (a: string, b: string) => {
  try {
    const key = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
    return key(a).equals(key(b));
  } catch {
    return false;
  }
};

/** Whether the ds:Signature `node` of `xml` verifies (references and SignatureValue) with `certPem`. */
export function verifies(xml: string, node: Element, certPem: string): boolean {
  return signedReferences(xml, node, certPem) !== undefined;
}

/**
 * The canonical XML of what the ds:Signature `node` of `xml` signs, when it verifies with
 * `certPem` (XML-DSig core validation by xml-crypto); undefined when it does not.
 */
export function signedReferences(xml: string, node: Element, certPem: string): string[] | undefined {
  const sx = new SignedXml({ publicCert: certPem });
  try {
    sx.loadSignature(node);
    return sx.checkSignature(xml) ? sx.getSignedReferences() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies each captured signature (XML-DSig over the exact captured bytes, or the decrypted Assertion) with the metadata's
 * signing certificates when given, else with the certificate the signature carries. A capture
 * that was re-indented or edited no longer verifies; import still reads its shape.
 */
export function verifySignatures(
  signatures: readonly CapturedSignature[],
  metadataCerts: readonly string[],
): SignatureVerdict[] {
  return signatures.map((s) => {
    const algorithm = s.signatureMethod.split('#').pop() ?? s.signatureMethod;
    if (metadataCerts.length) {
      const ok = metadataCerts.some((c) => verifies(s.document, s.node, c));
      const keyInfo = s.certificatePem && !metadataCerts.some((c) => samePublicKey(c, s.certificatePem!));
      return {
        on: s.on,
        algorithm,
        verifies: ok,
        with: `the metadata certificate${keyInfo ? ' (its KeyInfo carries another key)' : ''}`,
      };
    }
    if (!s.certificatePem)
      return {
        on: s.on,
        algorithm,
        verifies: false,
        with: 'no certificate (none in KeyInfo, no --metadata)',
      };
    return {
      on: s.on,
      algorithm,
      verifies: verifies(s.document, s.node, s.certificatePem),
      with: 'the certificate in its KeyInfo',
    };
  });
}
