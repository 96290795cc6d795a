import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface CertificateSpec {
  commonName: string;
  organisation?: string;
  /** The serial number as hex (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
  serialHex: string;
  notBefore?: Date;
  notAfter?: Date;
}

export interface TestKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh 2048-bit RSA key pair (OpenSSL through node:crypto, which is much faster than forge). */
export function rsaKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** A self-signed certificate for `keys`, as node-forge writes it (PEM, 64-character lines). */
export function selfSigned(keys: TestKeyPair, spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = spec.serialHex;
  const now = Date.now();
  cert.validity.notBefore = spec.notBefore ?? new Date(now - 24 * 3600 * 1000);
  cert.validity.notAfter = spec.notAfter ?? new Date(now + 365 * 24 * 3600 * 1000);
  const attrs = [
    { name: 'commonName', value: spec.commonName },
    ...(spec.organisation ? [{ name: 'organizationName', value: spec.organisation }] : []),
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export const base64Of = (pem: string) =>
  pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/**
 * A common name (`x` repeated, `from` characters or a few more) that gives a certificate
 * whose base64 body is a multiple of 64 characters long: the shape that used to get an
 * empty line before `-----END CERTIFICATE-----`.
 */
export function certificateOfWholeLines(keys: TestKeyPair, serialHex = '01', from = 1): string {
  // Each further ASCII character of the name adds two octets of DER (it is both subject and
  // issuer); aim for the first length n with ceil(n / 3) a multiple of 16, then check it.
  const der = Buffer.from(base64Of(selfSigned(keys, { commonName: 'x'.repeat(from), serialHex })), 'base64');
  let target = der.length;
  while (Math.ceil(target / 3) % 16 !== 0) target += 2;
  let n = from + (target - der.length) / 2;
  for (const last = n + 64; n < last; n++) {
    const pem = selfSigned(keys, { commonName: 'x'.repeat(n), serialHex });
    if (base64Of(pem).length % 64 === 0) return pem;
  }
  throw new Error('no common name length gave a body of whole 64-character lines');
}
