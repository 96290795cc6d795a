import { createPublicKey, verify as rsaVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { certificatePem } from './certificates.js';
import { SamlRejected } from './errors.js';
import { NS, asDom, childElements, firstChild, parseUntrusted, pureText } from './xml.js';

/**
 * Single Logout messages from the IdP (SAML Profiles 4.4), verified as the ACS verifies
 * assertions: the signature must be by a trusted IdP certificate, and everything the SP reads
 * of the message is read from the element that signature covers.
 */
export interface VerifiedLogout {
  /** The LogoutRequest or LogoutResponse element the signature covers. */
  element: Element;
  kind: 'request' | 'response';
  id: string;
  issuer: string | undefined;
  /** LogoutRequest: whose sessions end. */
  nameId: string | undefined;
  /** LogoutResponse: the request it answers. */
  inResponseTo: string | undefined;
}

const SIG_HASH: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};

const unsigned = (why: string) =>
  new SamlRejected('ERR_SAML_SIGNATURE_INVALID', `the logout message is not signed by the IdP: ${why}`);

function rawParam(rawQuery: string, name: string): string | undefined {
  for (const part of rawQuery.split('&')) if (part.startsWith(name + '=')) return part.slice(name.length + 1);
  return undefined;
}

/**
 * HTTP-Redirect (SAML Bindings 3.4.4.1): the signature covers the query parameters exactly as
 * they were URL-encoded, so the message it covers is the DEFLATEd one in that query.
 */
export function verifyRedirectLogout(
  rawQuery: string,
  certificates: readonly string[],
  maxBytes: number,
): VerifiedLogout {
  const sig = rawParam(rawQuery, 'Signature');
  const sigAlg = rawParam(rawQuery, 'SigAlg');
  const hash = sigAlg ? SIG_HASH[decodeURIComponent(sigAlg)] : undefined;
  if (!sig || !sigAlg || !hash) throw unsigned('no Signature and SigAlg of a known algorithm');
  const name = rawParam(rawQuery, 'SAMLRequest') !== undefined ? 'SAMLRequest' : 'SAMLResponse';
  const encoded = rawParam(rawQuery, name);
  if (encoded === undefined) throw new SamlRejected('ERR_SAML_MISSING', 'no SAMLRequest or SAMLResponse');
  const relay = rawParam(rawQuery, 'RelayState');
  const signed = `${name}=${encoded}${relay !== undefined ? `&RelayState=${relay}` : ''}&SigAlg=${sigAlg}`;
  const signature = Buffer.from(decodeURIComponent(sig), 'base64');
  if (
    !certificates.some((c) =>
      rsaVerify(hash, Buffer.from(signed), createPublicKey(certificatePem(c)), signature),
    )
  )
    throw unsigned('the query-string signature does not verify');
  let xml: string;
  try {
    const deflated = Buffer.from(decodeURIComponent(encoded.replace(/\+/g, ' ')), 'base64');
    // A deflate bomb (CVE-2025-25293) stops at the size the SP accepts for a message.
    xml = inflateRawSync(deflated, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new SamlRejected('ERR_SAML_TOO_LARGE', `the logout message inflates beyond ${maxBytes} bytes`);
    throw new SamlRejected('ERR_SAML_ENCODING', (e as Error).message);
  }
  return readLogout(parseUntrusted(xml).documentElement);
}

/**
 * HTTP-POST (SAML Bindings 3.5.4): one enveloped signature on the message element, referring
 * to it by its ID; the verified element is parsed from the bytes that signature covers.
 */
export function verifyPostLogout(xml: string, certificates: readonly string[]): VerifiedLogout {
  const root = parseUntrusted(xml).documentElement;
  const sigs = childElements(root, NS.DS, 'Signature');
  const id = root.getAttribute('ID');
  if (sigs.length !== 1 || !id) throw unsigned('no single enveloped signature');
  for (const c of certificates) {
    const sx = new SignedXml({ publicCert: certificatePem(c) });
    try {
      sx.loadSignature(asDom<Node>(sigs[0]));
      const refs = sx.getReferences();
      if (!sx.checkSignature(xml) || refs.length !== 1 || refs[0]!.uri !== `#${id}`) continue;
    } catch {
      continue;
    }
    const bytes = sx.getSignedReferences()[0];
    if (bytes !== undefined) return readLogout(parseUntrusted(bytes).documentElement);
  }
  throw unsigned('the signature does not verify with a trusted certificate or does not cover the message');
}

/** SAML Core 3.7.1 and 3.7.2: a LogoutRequest or LogoutResponse, version 2.0, with an ID. */
function readLogout(element: Element): VerifiedLogout {
  const kind =
    element.namespaceURI !== NS.SAMLP
      ? undefined
      : element.localName === 'LogoutRequest'
        ? 'request'
        : element.localName === 'LogoutResponse'
          ? 'response'
          : undefined;
  const id = element.getAttribute('ID');
  if (!kind || !id || element.getAttribute('Version') !== '2.0')
    throw new SamlRejected('ERR_SAML_MALFORMED', `${element.localName} is not a SAML 2.0 logout message`);
  const text = (local: string) => {
    const el = firstChild(element, NS.SAML, local);
    return el ? pureText(el)?.trim() : undefined;
  };
  return {
    element,
    kind,
    id,
    issuer: text('Issuer'),
    nameId: kind === 'request' ? text('NameID') : undefined,
    inResponseTo: element.getAttribute('InResponseTo') ?? undefined,
  };
}
