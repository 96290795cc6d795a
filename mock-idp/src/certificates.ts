import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { IdpError } from './errors.js';

/**
 * Certificates and keys a tenant setup names (its own signing pair, the SP's signing and
 * encryption certificates), read when the tenant is configured so that one that cannot be
 * used is refused then, with a stable code, rather than failing at every sign-in.
 */

const ARMOUR = /-----(BEGIN|END) CERTIFICATE-----/g;

/** A certificate as PEM (RFC 7468 §2: 64-character lines, no empty line), from PEM or bare base64. */
export function certificatePem(text: string): string {
  const lines =
    text
      .replace(ARMOUR, '')
      .replace(/\s+/g, '')
      .match(/.{1,64}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----', ''].join('\n');
}

export interface ReadCertificate {
  pem: string;
  x509: X509Certificate;
  /** Set when the certificate is outside its validity period (RFC 5280 §4.1.2.5). */
  warning?: string;
}

/** Parses a certificate with OpenSSL; ERR_BAD_CERTIFICATE names `what` when it cannot be read. */
export function readCertificate(text: string, what: string, now: Date): ReadCertificate {
  const body = text.replace(ARMOUR, '').replace(/\s+/g, '');
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body))
    throw new IdpError('ERR_BAD_CERTIFICATE', `${what} is not PEM or base64`);
  const pem = certificatePem(body);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch (e) {
    throw new IdpError('ERR_BAD_CERTIFICATE', `${what}: ${(e as Error).message}`);
  }
  const subject = x509.subject.replace(/\n/g, ', ');
  const warning =
    new Date(x509.validTo).getTime() < now.getTime()
      ? `${what} (${subject}) expired on ${new Date(x509.validTo).toISOString()}`
      : new Date(x509.validFrom).getTime() > now.getTime()
        ? `${what} (${subject}) is valid only from ${new Date(x509.validFrom).toISOString()}`
        : undefined;
  return { pem, x509, ...(warning ? { warning } : {}) };
}

/** The tenant's private key, which must be readable and belong to its certificate. */
export function readSigningKey(privateKeyPem: string, certificate: X509Certificate): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (e) {
    throw new IdpError('ERR_BAD_KEY', `signingKey.privateKeyPem: ${(e as Error).message}`);
  }
  if (!certificate.checkPrivateKey(key))
    throw new IdpError(
      'ERR_BAD_KEY',
      'signingKey.privateKeyPem does not belong to signingKey.certificatePem',
    );
  return key;
}
