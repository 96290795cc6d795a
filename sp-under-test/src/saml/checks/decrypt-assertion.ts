import { XMLSerializer } from '@xmldom/xmldom';
import xmlenc from 'xml-encryption';
import { SamlRejected } from '../errors.js';
import { NS, asDom, descendants, parseUntrusted } from '../xml.js';
import { need, type AcsCheck } from './context.js';

/**
 * SAML Core 2.3.4 and 6.2: an EncryptedAssertion is decrypted with the SP's private key and
 * put in its place, so the signature checks that follow verify the Assertion's own
 * signature over the decrypted bytes. A message without one is left as it is.
 */
export const decryptAssertion: AcsCheck = async (ctx) => {
  const doc = need(ctx.doc, 'doc');
  const encrypted = descendants(doc, NS.SAML, 'EncryptedAssertion')[0];
  if (!encrypted) return;
  const key = ctx.keyPair?.privateKeyPem;
  if (!key) throw new SamlRejected('ERR_SAML_DECRYPTION', 'the SP has no private key');
  const plain = await new Promise<string>((resolve, reject) =>
    xmlenc.decrypt(
      encrypted.toString(),
      { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false },
      (err, out) => (err ? reject(new SamlRejected('ERR_SAML_DECRYPTION', err.message)) : resolve(out)),
    ),
  );
  const assertion = parseUntrusted(plain).documentElement;
  if (assertion.namespaceURI !== NS.SAML || assertion.localName !== 'Assertion') {
    throw new SamlRejected('ERR_SAML_DECRYPTION', `the EncryptedAssertion holds a ${assertion.localName}`);
  }
  encrypted.parentNode!.replaceChild(doc.importNode(assertion, true), encrypted);
  ctx.xml = new XMLSerializer().serializeToString(asDom<Node>(doc));
  ctx.doc = parseUntrusted(ctx.xml);
};
