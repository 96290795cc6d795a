import { X509Certificate } from 'node:crypto';

/**
 * IdP signing certificates, in one form everywhere. The SP stores a certificate as its bare
 * base64 DER body (what `<ds:X509Certificate>` carries in metadata, XML-DSig 4.4.4) and
 * writes it out as PEM (RFC 7468 §2: lines of 64 characters, the last one shorter or equal,
 * no empty line) wherever a verifier needs one: the ACS, Single Logout and metadata alike.
 */

const ARMOUR = /-----(BEGIN|END) CERTIFICATE-----/g;

/** The base64 body of a certificate given as PEM, as base64 with any line breaks, or as metadata text. */
export function certificateBody(text: string): string {
  return text.replace(ARMOUR, '').replace(/\s+/g, '');
}

/** The certificate as PEM, from any form `certificateBody` accepts. */
export function certificatePem(text: string): string {
  const lines = certificateBody(text).match(/.{1,64}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----', ''].join('\n');
}

/** Why a configured certificate cannot be used. */
export class CertificateUnreadable extends Error {
  constructor(
    readonly index: number,
    detail: string,
  ) {
    super(`certificate ${index + 1} cannot be read as an X.509 certificate: ${detail}`);
    this.name = 'CertificateUnreadable';
  }
}

export interface CertificateWarning {
  code: 'WARN_CERTIFICATE_EXPIRED' | 'WARN_CERTIFICATE_NOT_YET_VALID';
  message: string;
  /** Position of the certificate in the configured list, from 0. */
  certificate: number;
  subject: string;
}

/**
 * Parses each certificate with OpenSSL (through `crypto.X509Certificate`) when it is
 * configured, so that one that could never verify a signature is refused then rather than
 * at every sign-in. Returns the bodies to store and a warning for each certificate outside
 * its validity period (RFC 5280 §4.1.2.5); such a certificate is still kept, as IdPs keep
 * signing with expired certificates and SAML does not require the check.
 */
export function readCertificates(
  texts: readonly string[],
  now: Date,
): { bodies: string[]; warnings: CertificateWarning[] } {
  const bodies: string[] = [];
  const warnings: CertificateWarning[] = [];
  texts.forEach((text, index) => {
    const body = certificateBody(text);
    if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body))
      throw new CertificateUnreadable(index, 'the text is not base64 or PEM');
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(certificatePem(body));
    } catch (e) {
      throw new CertificateUnreadable(index, (e as Error).message);
    }
    const subject = x509.subject.replace(/\n/g, ', ');
    if (new Date(x509.validTo).getTime() < now.getTime())
      warnings.push({
        code: 'WARN_CERTIFICATE_EXPIRED',
        message: `certificate ${index + 1} (${subject}) expired on ${new Date(x509.validTo).toISOString()}`,
        certificate: index,
        subject,
      });
    else if (new Date(x509.validFrom).getTime() > now.getTime())
      warnings.push({
        code: 'WARN_CERTIFICATE_NOT_YET_VALID',
        message: `certificate ${index + 1} (${subject}) is valid only from ${new Date(x509.validFrom).toISOString()}`,
        certificate: index,
        subject,
      });
    bodies.push(body);
  });
  return { bodies, warnings };
}
