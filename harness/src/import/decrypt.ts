import { DOMParser } from '@xmldom/xmldom';
import xmlenc from 'xml-encryption';
import { HarnessError } from '../errors.js';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

/**
 * Decrypts the EncryptedAssertion of a Response with the SP's private key (XML Encryption:
 * the key transport key, then the data), returning the Assertion as XML, or undefined when the
 * Response has no EncryptedAssertion. A key that does not fit throws ERR_BAD_OPTION.
 */
export async function decryptAssertion(
  xml: string,
  keyPem: string,
  keyFile: string,
): Promise<string | undefined> {
  const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml');
  const enc = doc.getElementsByTagNameNS(SAML, 'EncryptedAssertion')[0];
  if (!enc) return undefined;
  return new Promise((resolve, reject) =>
    xmlenc.decrypt(enc.toString(), { key: keyPem }, (err, out) =>
      err
        ? reject(
            new HarnessError(
              'ERR_BAD_OPTION',
              `--decrypt-key ${keyFile} does not decrypt the assertion: ${err.message}`,
            ),
          )
        : resolve(out),
    ),
  );
}
