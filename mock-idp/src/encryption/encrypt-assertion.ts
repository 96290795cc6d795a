import { createCipheriv, constants, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { el, prefixOf, toWire, type XmlElement } from '../xml/element.js';
import { pemToBase64 } from '../keys.js';
import { uuid } from '../profiles/ids.js';

/**
 * XML Encryption 1.1 of a signed Assertion into an `EncryptedAssertion` (SAML Core 2.3.4),
 * in the shape Okta sends: `EncryptedData` whose KeyInfo holds a `RetrievalMethod` pointing
 * to a sibling `EncryptedKey` that carries the SP certificate and a `ReferenceList`.
 */
export const XENC_NS = 'http://www.w3.org/2001/04/xmlenc#';
const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';

export const DATA_ENCRYPTION = {
  'aes256-cbc': { uri: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc', cipher: 'aes-256-cbc', ivBytes: 16 },
  'aes256-gcm': { uri: 'http://www.w3.org/2009/xmlenc11#aes256-gcm', cipher: 'aes-256-gcm', ivBytes: 12 },
} as const;
export type DataEncryption = keyof typeof DATA_ENCRYPTION;

/** RSA-OAEP key transport with MGF1-SHA1 and a SHA-1 digest (XML Encryption 5.4.2). */
export const RSA_OAEP_MGF1P = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';

export interface EncryptionChoice {
  /** The SP's encryption certificate (PEM). */
  certificatePem: string;
  data: DataEncryption;
}

function encryptContent(plain: Buffer, data: DataEncryption, key: Buffer): Buffer {
  const alg = DATA_ENCRYPTION[data];
  const iv = randomBytes(alg.ivBytes);
  if (data === 'aes256-gcm') {
    const c = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([iv, body, c.getAuthTag()]);
  }
  const c = createCipheriv(alg.cipher, key, iv);
  return Buffer.concat([iv, c.update(plain), c.final()]);
}

/**
 * Returns the `EncryptedAssertion` element that replaces `assertion`. The Assertion is
 * written exactly as it would go on the wire, so its enveloped signature still verifies
 * once the SP decrypts it.
 */
export function encryptAssertion(assertion: XmlElement, choice: EncryptionChoice): XmlElement {
  if (!DATA_ENCRYPTION[choice.data]) throw new TypeError(`unknown data encryption ${String(choice.data)}`);
  const cert = new X509Certificate(choice.certificatePem);
  const cek = randomBytes(32);
  const cipherValue = encryptContent(Buffer.from(toWire(assertion), 'utf8'), choice.data, cek).toString(
    'base64',
  );
  const wrappedKey = publicEncrypt(
    { key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    cek,
  ).toString('base64');

  const dataId = '_' + uuid().replace(/-/g, '');
  const keyId = '_' + uuid().replace(/-/g, '');
  const xenc: [string, string] = ['xmlns:xenc', XENC_NS];
  const ds: [string, string] = ['xmlns:ds', DS_NS];

  const encryptedData = el(
    'xenc:EncryptedData',
    [['Id', dataId], ['Type', XENC_NS + 'Element'], xenc],
    [
      el('xenc:EncryptionMethod', [['Algorithm', DATA_ENCRYPTION[choice.data].uri], xenc]),
      el(
        'ds:KeyInfo',
        [ds],
        [
          el('ds:RetrievalMethod', [
            ['Type', XENC_NS + 'EncryptedKey'],
            ['URI', '#' + keyId],
          ]),
        ],
      ),
      el('xenc:CipherData', [xenc], [el('xenc:CipherValue', [xenc], [cipherValue])]),
    ],
  );
  const encryptedKey = el(
    'xenc:EncryptedKey',
    [['Id', keyId], xenc],
    [
      el(
        'xenc:EncryptionMethod',
        [['Algorithm', RSA_OAEP_MGF1P], xenc],
        [el('ds:DigestMethod', [['Algorithm', DS_NS + 'sha1'], ds])],
      ),
      el(
        'ds:KeyInfo',
        [ds],
        [el('ds:X509Data', [], [el('ds:X509Certificate', [], [pemToBase64(choice.certificatePem)])])],
      ),
      el('xenc:CipherData', [xenc], [el('xenc:CipherValue', [xenc], [wrappedKey])]),
      el('xenc:ReferenceList', [], [el('xenc:DataReference', [['URI', '#' + dataId]])]),
    ],
  );

  const p = prefixOf(assertion.name);
  const nsName = p ? `xmlns:${p}` : 'xmlns';
  const nsDecl = assertion.attrs.find(([k]) => k === nsName);
  return el(p ? `${p}:EncryptedAssertion` : 'EncryptedAssertion', nsDecl ? [nsDecl] : [], [
    encryptedData,
    encryptedKey,
  ]);
}

/** Replaces `assertion` inside `parent` with its EncryptedAssertion; returns the new element. */
export function replaceWithEncrypted(
  parent: XmlElement,
  assertion: XmlElement,
  choice: EncryptionChoice,
): XmlElement {
  const i = parent.children.indexOf(assertion);
  if (i < 0) throw new TypeError('assertion is not a child of parent');
  const encrypted = encryptAssertion(assertion, choice);
  parent.children[i] = encrypted;
  return encrypted;
}
