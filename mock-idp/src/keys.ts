import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import type { SigningKey } from './xmldsig/sign.js';

export interface KeyPairPem {
  privateKeyPem: string;
  certificatePem: string;
}

/** Generates an RSA key and a self-signed certificate for test use only. */
export function generateKeyPair(commonName: string, bits = 2048, years = 10): KeyPairPem {
  const keys = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + years * 365 * 24 * 3600 * 1000);
  const attrs = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'idp-harness test keys' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey),
    certificatePem: forge.pki.certificateToPem(cert),
  };
}

/**
 * A self-signed certificate for an existing key pair whose validity ended `daysAgo` days ago,
 * as an IdP whose certificate ran out without a rollover still publishes it.
 */
export function expiredCertificate(pair: KeyPairPem, daysAgo = 30): string {
  const privateKey = forge.pki.privateKeyFromPem(pair.privateKeyPem) as forge.pki.rsa.PrivateKey;
  const current = forge.pki.certificateFromPem(pair.certificatePem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = current.publicKey;
  cert.serialNumber = '02' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  const day = 24 * 3600 * 1000;
  cert.validity.notBefore = new Date(Date.now() - 400 * day);
  cert.validity.notAfter = new Date(Date.now() - daysAgo * day);
  cert.setSubject(current.subject.attributes);
  cert.setIssuer(current.subject.attributes);
  cert.sign(privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export function pemToBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
}

export function signingKeyFromPem(pair: KeyPairPem): SigningKey {
  const cert = new X509Certificate(pair.certificatePem);
  return {
    privateKey: createPrivateKey(pair.privateKeyPem),
    certificateBase64: pemToBase64(pair.certificatePem),
    subjectName: cert.subject.split('\n').reverse().join(','),
  };
}

export function loadKeyPair(keyFile: string, certFile: string): KeyPairPem {
  return { privateKeyPem: readFileSync(keyFile, 'utf8'), certificatePem: readFileSync(certFile, 'utf8') };
}
