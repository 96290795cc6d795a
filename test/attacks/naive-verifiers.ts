import { X509Certificate, createHash, verify as rsaVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';

/*
 * Deliberately naive SAML verifiers, one per flaw of the 2024-2026 advisories. Each does what
 * a careful verifier does except for the one thing its advisory describes, and returns what it
 * would sign in (or throws when it refuses). They exist to show that each catalogue mutation is
 * the attack it names: the naive verifier accepts it, while it still refuses a plainly forged
 * response.
 */

export const DS = 'http://www.w3.org/2000/09/xmldsig#';
export const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

/** What a verifier would sign in: the NameID and the attributes it read. */
export interface Verdict {
  nameId: string;
  attributes: Record<string, string>;
}

export class Refused extends Error {}

const HASHES: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
};

/** A lenient parse that keeps going past errors, as many stacks do. */
export const parse = (xml: string): Document =>
  new DOMParser({ errorHandler: () => {} }).parseFromString(xml, 'text/xml') as unknown as Document;

export const elements = (node: Document | Element, ns: string, local: string): Element[] =>
  Array.from(node.getElementsByTagNameNS(ns, local) as unknown as ArrayLike<Element>);

export function kids(node: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    const e = c as Element;
    if (c.nodeType === 1 && e.namespaceURI === ns && e.localName === local) out.push(e);
  }
  return out;
}

const only = (node: Element, ns: string, local: string): Element => {
  const found = kids(node, ns, local)[0];
  if (!found) throw new Refused(`<${node.localName}> has no ${local}`);
  return found;
};

/** The first element with this ID anywhere in the document. */
export function byId(doc: Document, id: string): Element | undefined {
  const all = doc.getElementsByTagName('*') as unknown as ArrayLike<Element>;
  for (let i = 0; i < all.length; i++) if (all[i]!.getAttribute('ID') === id) return all[i];
  return undefined;
}

/** The digest of `element` under the Reference's transforms and DigestMethod. */
export function digestOf(element: Element, reference: Element, canonicalize = canonicalXml): string {
  const transforms = kids(only(reference, DS, 'Transforms'), DS, 'Transform').map(
    (t) => t.getAttribute('Algorithm') ?? '',
  );
  const hash = HASHES[only(reference, DS, 'DigestMethod').getAttribute('Algorithm') ?? ''];
  if (!hash) throw new Refused('unknown digest method');
  return createHash(hash).update(canonicalize(element, transforms)).digest('base64');
}

export function canonicalXml(element: Element, transforms: string[]): string {
  const inclusive = elements(element.ownerDocument, EXC_C14N, 'InclusiveNamespaces').flatMap((n) =>
    (n.getAttribute('PrefixList') ?? '').split(/\s+/).filter(Boolean),
  );
  return new SignedXml().getCanonXml(transforms, element as unknown as Node, {
    inclusiveNamespacesPrefixList: inclusive,
  });
}

/** The SignatureValue checked over `signedInfo` (exclusive C14N) with the IdP certificate. */
export function signatureValueValid(signature: Element, signedInfo: Element, certPem: string): boolean {
  const hash = HASHES[only(signedInfo, DS, 'SignatureMethod').getAttribute('Algorithm') ?? ''];
  if (!hash) return false;
  const value = Buffer.from(only(signature, DS, 'SignatureValue').textContent ?? '', 'base64');
  return rsaVerify(hash, Buffer.from(canonicalXml(signedInfo, [EXC_C14N])), certPem, value);
}

/** A complete, correct signature check of one Signature element, by xml-crypto. */
export function libraryVerifies(xml: string, signature: Element, certPem: string): boolean {
  const sx = new SignedXml({ publicCert: certPem });
  try {
    sx.loadSignature(signature as unknown as Node);
    return sx.checkSignature(xml);
  } catch {
    return false;
  }
}

/** Reads NameID and attributes the way the naive SP does once it trusts `assertion`. */
export function read(
  assertion: Element,
  value: (v: Element) => string = (v) => v.textContent ?? '',
): Verdict {
  const nameId = kids(only(assertion, SAML, 'Subject'), SAML, 'NameID')[0];
  if (!nameId) throw new Refused('no NameID');
  const attributes: Record<string, string> = {};
  for (const statement of kids(assertion, SAML, 'AttributeStatement')) {
    for (const a of kids(statement, SAML, 'Attribute')) {
      const v = kids(a, SAML, 'AttributeValue')[0];
      if (v) attributes[a.getAttribute('Name') ?? ''] = value(v);
    }
  }
  return { nameId: value(nameId), attributes };
}

/**
 * Removes the DOCTYPE declaration where the XML grammar ends it: past the quoted literals,
 * comments and processing instructions of its internal subset. What a DTD-aware parser skips.
 */
export function withoutDoctype(xml: string): string {
  const start = xml.indexOf('<!DOCTYPE');
  if (start < 0) return xml;
  let subset = false;
  for (let i = start + 9; i < xml.length; i++) {
    const skip = (end: string) => (i = xml.indexOf(end, i + 1) + end.length - 1);
    if (xml.startsWith('<!--', i)) skip('-->');
    else if (xml.startsWith('<?', i)) skip('?>');
    else if (xml[i] === '"' || xml[i] === "'") skip(xml[i]!);
    else if (xml[i] === '[') subset = true;
    else if (xml[i] === ']') subset = false;
    else if (xml[i] === '>' && !subset) return xml.slice(0, start) + xml.slice(i + 1);
  }
  throw new Refused('unterminated DOCTYPE');
}

const responseAssertion = (doc: Document): Element => only(doc.documentElement, SAML, 'Assertion');
const signatureOf = (assertion: Element): Element => only(assertion, DS, 'Signature');
const referenceOf = (signature: Element): Element => only(only(signature, DS, 'SignedInfo'), DS, 'Reference');
const idOf = (reference: Element) => (reference.getAttribute('URI') ?? '').replace(/^#/, '');

/** The classic check of one signature, with the digest compared against `digestValue`. */
function checkReference(doc: Document, signature: Element, certPem: string, digestValue: string): Element {
  if (!signatureValueValid(signature, only(signature, DS, 'SignedInfo'), certPem))
    throw new Refused('SignatureValue does not verify');
  const reference = referenceOf(signature);
  const target = byId(doc, idOf(reference));
  if (!target) throw new Refused('the Reference names no element');
  if (digestOf(target, reference) !== digestValue.trim()) throw new Refused('digest mismatch');
  return target;
}

/** CVE-2024-45409: the DigestValue is found with a document-wide search, so the first one in the document wins. */
export function firstDigestValueInDocument(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const signature = signatureOf(responseAssertion(doc));
  const first = elements(doc, DS, 'DigestValue')[0]!;
  return read(checkReference(doc, signature, certPem, first.textContent ?? ''));
}

/** CVE-2024-8698: a Signature in the Response position is taken to sign the whole Response, whatever it references. */
export function scopeByPosition(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const atResponse = kids(doc.documentElement, DS, 'Signature')[0];
  if (atResponse) {
    if (!libraryVerifies(xml, atResponse, certPem)) throw new Refused('Response signature invalid');
    return read(responseAssertion(doc));
  }
  const assertion = responseAssertion(doc);
  if (!libraryVerifies(xml, signatureOf(assertion), certPem))
    throw new Refused('Assertion signature invalid');
  return read(assertion);
}

/**
 * CVE-2025-47949 (and the element-verified-is-not-consumed family): any valid signature on any
 * Assertion in the message makes "the" assertion, the Response's first, trusted.
 */
export function anySignedAssertionThenFirst(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const signed = elements(doc, DS, 'Signature').filter(
    (s) =>
      (s.parentNode as Element).namespaceURI === SAML && (s.parentNode as Element).localName === 'Assertion',
  );
  if (!signed.some((s) => libraryVerifies(xml, s, certPem))) throw new Refused('no signed assertion');
  return read(responseAssertion(doc));
}

/** CVE-2025-54369 / CVE-2025-54419: the signature is checked, then values are read from the unverified document (first text node). */
export function valuesFromUnverifiedDocument(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const assertion = responseAssertion(doc);
  if (!libraryVerifies(xml, signatureOf(assertion), certPem))
    throw new Refused('Assertion signature invalid');
  return read(assertion, (v) => (v.firstChild as Text | null)?.data ?? '');
}

const decrypt = (encrypted: Element, keyPem: string): Promise<string> =>
  new Promise((resolve, reject) =>
    xmlenc.decrypt(encrypted.toString(), { key: keyPem }, (e, out) => (e ? reject(e) : resolve(out))),
  );

/** Plaintext beside encrypted: the decrypted assertion is verified, the Response's plaintext assertion is read. */
export async function decryptedVerifiedPlaintextRead(
  xml: string,
  certPem: string,
  spKeyPem: string,
): Promise<Verdict> {
  const doc = parse(xml);
  const plain = await decrypt(only(doc.documentElement, SAML, 'EncryptedAssertion'), spKeyPem);
  const decrypted = parse(plain);
  if (!libraryVerifies(plain, signatureOf(decrypted.documentElement), certPem))
    throw new Refused('decrypted assertion unsigned');
  return read(responseAssertion(doc));
}

/** CVE-2024-6800: any valid signature by the IdP anywhere in the message counts as the message's. */
export function anyValidSignature(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  if (!elements(doc, DS, 'Signature').some((s) => libraryVerifies(xml, s, certPem)))
    throw new Refused('nothing in the message is signed by the IdP');
  return read(responseAssertion(doc));
}

/** CVE-2024-4985 / CVE-2024-9487: signatures are checked before decryption, and not again after it. */
export async function verifyThenDecrypt(xml: string, certPem: string, spKeyPem: string): Promise<Verdict> {
  const doc = parse(xml);
  if (!elements(doc, DS, 'Signature').some((s) => libraryVerifies(xml, s, certPem)))
    throw new Refused('the message carries no valid signature');
  const encrypted = kids(doc.documentElement, SAML, 'EncryptedAssertion')[0];
  if (!encrypted) return read(responseAssertion(doc));
  return read(parse(await decrypt(encrypted, spKeyPem)).documentElement);
}

/**
 * CVE-2025-29774: the SignatureValue is checked over the first SignedInfo, while References are
 * collected from every SignedInfo of the Signature; the assertion read is one a Reference names.
 */
export function referencesFromEverySignedInfo(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const assertion = responseAssertion(doc);
  const signature = signatureOf(assertion);
  if (!signatureValueValid(signature, elements(signature, DS, 'SignedInfo')[0]!, certPem))
    throw new Refused('SignatureValue does not verify');
  const references = elements(signature, DS, 'SignedInfo').flatMap((si) => kids(si, DS, 'Reference'));
  for (const reference of references) {
    const target = byId(doc, idOf(reference));
    if (!target || digestOf(target, reference) !== (kids(reference, DS, 'DigestValue')[0]?.textContent ?? ''))
      throw new Refused('a reference does not verify');
  }
  if (!references.some((r) => idOf(r) === assertion.getAttribute('ID')))
    throw new Refused('assertion not signed');
  return read(assertion);
}

/** CVE-2025-29775: the DigestValue is the data of its first child node, which may be a comment. */
export function digestValueFirstChild(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const signature = signatureOf(responseAssertion(doc));
  const value = kids(referenceOf(signature), DS, 'DigestValue')[0]!;
  return read(checkReference(doc, signature, certPem, (value.firstChild as Text).data));
}

/** A canonicalizer that, like libxml2 on input it cannot process, returns an empty string instead of failing. */
export function voidingCanonicalizer(element: Element, transforms: string[]): string {
  const all = [element, ...elements(element, '*', '*')];
  const relative = all.some((e) =>
    Array.from(e.attributes as unknown as ArrayLike<Attr>).some(
      (a) =>
        (a.name === 'xmlns' || a.name.startsWith('xmlns:')) &&
        a.value !== '' &&
        !/^[a-z][\w+.-]*:/i.test(a.value),
    ),
  );
  return relative ? '' : canonicalXml(element, transforms);
}

/** CVE-2025-66568: canonicalization errors yield an empty string, which is digested as if it were the element. */
export function voidCanonicalization(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const signature = signatureOf(responseAssertion(doc));
  if (!signatureValueValid(signature, only(signature, DS, 'SignedInfo'), certPem))
    throw new Refused('SignatureValue does not verify');
  const reference = referenceOf(signature);
  const target = byId(doc, idOf(reference))!;
  if (
    digestOf(target, reference, voidingCanonicalizer) !== kids(reference, DS, 'DigestValue')[0]?.textContent
  )
    throw new Refused('digest mismatch');
  return read(target);
}

/**
 * CVE-2025-25291: the signature is checked on the document as a DTD-aware parser sees it; the
 * identity is read after a hand-made DOCTYPE strip that stops at the first "]>".
 */
export function doctypeStrippedReader(xml: string, certPem: string): Verdict {
  const seen = withoutDoctype(xml);
  const doc = parse(seen);
  if (!libraryVerifies(seen, signatureOf(responseAssertion(doc)), certPem))
    throw new Refused('no valid signature');
  const stripped = xml.replace(/<!DOCTYPE[\s\S]*?\]>/, '');
  return read(elements(parse(stripped), SAML, 'Assertion')[0]!);
}

/**
 * CVE-2025-25292 / CVE-2025-66567: the signature is found and checked by namespace; "the
 * assertion" is then the first element whose local name is Assertion, whatever its namespace.
 */
export function localNameReader(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  if (!libraryVerifies(xml, signatureOf(responseAssertion(doc)), certPem))
    throw new Refused('signature invalid');
  const assertion = elements(doc, '*', 'Assertion')[0]!;
  const byLocal = (local: string) => elements(assertion, '*', local);
  return {
    nameId: byLocal('NameID')[0]?.textContent ?? '',
    attributes: Object.fromEntries(
      byLocal('Attribute').map((a) => [
        a.getAttribute('Name') ?? '',
        byLocal('AttributeValue')[0]?.textContent ?? '',
      ]),
    ),
  };
}

/**
 * CVE-2025-23369: the verifier's parser leaves internal entities unexpanded (their content is
 * invisible to its queries); the reader expands them first.
 */
export function entityExpandingReader(xml: string, certPem: string): Verdict {
  const seen = withoutDoctype(xml);
  const doc = parse(seen);
  if (!libraryVerifies(seen, signatureOf(responseAssertion(doc)), certPem))
    throw new Refused('signature invalid');
  if (elements(doc, SAML, 'Assertion').length !== 1) throw new Refused('more than one assertion');
  const entities = new Map<string, string>();
  for (const m of xml.matchAll(/<!ENTITY\s+(\w+)\s+'([^']*)'>/g)) entities.set(m[1]!, m[2]!);
  const expanded = seen.replace(/&(\w+);/g, (all, name: string) => entities.get(name) ?? all);
  return read(elements(parse(expanded), SAML, 'Assertion')[0]!);
}

/** Attribute pollution: after a correct signature check, attributes are looked up across the whole message, first match wins. */
export function attributesFromWholeMessage(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const assertion = responseAssertion(doc);
  if (!libraryVerifies(xml, signatureOf(assertion), certPem)) throw new Refused('signature invalid');
  const attributes: Record<string, string> = {};
  for (const a of elements(doc, SAML, 'Attribute')) {
    const name = a.getAttribute('Name') ?? '';
    attributes[name] ??= elements(a, SAML, 'AttributeValue')[0]?.textContent ?? '';
  }
  return { nameId: read(assertion).nameId, attributes };
}

/** Attribute pollution: attributes keyed by Name alone, so of two with one Name the last wins. */
export function attributesByNameLastWins(xml: string, certPem: string): Verdict {
  const doc = parse(xml);
  const assertion = responseAssertion(doc);
  if (!libraryVerifies(xml, signatureOf(assertion), certPem)) throw new Refused('signature invalid');
  return read(assertion);
}

/** CVE-2025-25293: the size limit is applied to the form value, and a value that is not XML is inflated with no bound. */
export function inflateAfterSizeCheck(samlResponse: string, limit: number, inflateBound: number): string {
  if (samlResponse.length > Math.ceil((limit * 4) / 3)) throw new Refused('too large');
  const raw = Buffer.from(samlResponse, 'base64');
  if (raw.toString('utf8').trimStart().startsWith('<')) return raw.toString('utf8');
  return inflateRawSync(raw, { maxOutputLength: inflateBound }).toString('utf8');
}

/** CVE-2025-54572: the whole value is validated, decoded and verified; its size is never looked at. */
export function sizeNeverChecked(samlResponse: string, certPem: string): Verdict {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(samlResponse)) throw new Refused('not base64');
  return anySignedAssertionThenFirst(Buffer.from(samlResponse, 'base64').toString('utf8'), certPem);
}

/** Deep nesting: text is gathered by a recursive walk with no depth bound. */
export function recursiveTextWalk(xml: string): number {
  const walk = (node: Node): number => {
    let n = node.nodeType === 3 ? 1 : 0;
    for (let c = node.firstChild; c; c = c.nextSibling) n += walk(c);
    return n;
  };
  return walk(parse(xml).documentElement as unknown as Node);
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

/** The IdP certificates in metadata, with the use each KeyDescriptor gives (null: none given). */
export function metadataKeys(metadataXml: string): { use: string | null; pem: string; expired: boolean }[] {
  return elements(parse(metadataXml), MD, 'KeyDescriptor').flatMap((k) =>
    elements(k, DS, 'X509Certificate').map((c) => {
      const body = (c.textContent ?? '').replace(/\s+/g, '');
      const pem = `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
      return {
        use: k.getAttribute('use'),
        pem,
        expired: Date.parse(new X509Certificate(pem).validTo) < Date.now(),
      };
    }),
  );
}

/** Checks the assertion's signature with `certs` when there are any, else lets it through unchecked. */
function checkedIfConfigured(xml: string, certs: string[]): Verdict {
  const doc = parse(xml);
  const assertion = responseAssertion(doc);
  if (certs.length === 0) return read(assertion);
  const signature = kids(assertion, DS, 'Signature')[0] ?? kids(doc.documentElement, DS, 'Signature')[0];
  if (!signature || !certs.some((c) => libraryVerifies(xml, signature, c))) throw new Refused('not signed');
  return read(assertion);
}

/** CVE-2026-89042: signature verification runs only when a certificate is configured. */
export function verifiesOnlyWithACertificate(xml: string, metadataXml: string): Verdict {
  return checkedIfConfigured(
    xml,
    metadataKeys(metadataXml).map((k) => k.pem),
  );
}

/** CVE-2026-16443: only keys marked use="signing" count, and with none, response signature validation is off. */
export function signingUseOnly(xml: string, metadataXml: string): Verdict {
  return checkedIfConfigured(
    xml,
    metadataKeys(metadataXml)
      .filter((k) => k.use === 'signing')
      .map((k) => k.pem),
  );
}

/** A key is a key: every certificate in the metadata verifies signatures, whatever its use. */
export function anyUseVerifies(xml: string, metadataXml: string): Verdict {
  const certs = metadataKeys(metadataXml).map((k) => k.pem);
  if (certs.length === 0) throw new Refused('no certificate');
  return checkedIfConfigured(xml, certs);
}

/** An expired certificate is dropped, and with none left, verification is skipped. */
export function expiredDropped(xml: string, metadataXml: string): Verdict {
  return checkedIfConfigured(
    xml,
    metadataKeys(metadataXml)
      .filter((k) => !k.expired)
      .map((k) => k.pem),
  );
}

/** GHSA-63ch-w8pw-4mf2: a LogoutRequest counts as signed when any signature in it verifies; the outer NameID is then ended. */
export function logoutAnySignature(xml: string, certPem: string): string {
  const doc = parse(xml);
  if (doc.documentElement.localName !== 'LogoutRequest') throw new Refused('not a LogoutRequest');
  if (!elements(doc, DS, 'Signature').some((s) => libraryVerifies(xml, s, certPem)))
    throw new Refused('the logout message is not signed');
  const nameId = kids(doc.documentElement, SAML, 'NameID')[0];
  if (!nameId) throw new Refused('no NameID');
  return nameId.textContent ?? '';
}

/** The raw (still URL-encoded) value of a query parameter. */
const rawParam = (rawQuery: string, name: string): string | undefined =>
  rawQuery
    .split('&')
    .find((p) => p.startsWith(name + '='))
    ?.slice(name.length + 1);

/**
 * CVE-2025-25293 and CVE-2026-2575 on the HTTP-Redirect binding: the query signature is checked
 * over the DEFLATE data, as SAML Bindings 3.4.4.1 has it, and then SAMLRequest is inflated with
 * no bound on its size and the LogoutRequest read. `testCap` only keeps the test itself safe: it
 * is far above anything the message inflates to. Returns the NameID it would log out and how
 * many bytes it inflated.
 */
export function redirectLogoutInflatedWhole(
  rawQuery: string,
  certPem: string,
  testCap: number,
): { nameId: string; inflatedBytes: number } {
  const [request, relay, sigAlg, sig] = ['SAMLRequest', 'RelayState', 'SigAlg', 'Signature'].map((n) =>
    rawParam(rawQuery, n),
  );
  const hash = sigAlg ? HASHES[decodeURIComponent(sigAlg)] : undefined;
  if (!request || !sigAlg || !sig || !hash) throw new Refused('the query is not signed');
  const signed = `SAMLRequest=${request}${relay !== undefined ? `&RelayState=${relay}` : ''}&SigAlg=${sigAlg}`;
  if (!rsaVerify(hash, Buffer.from(signed), certPem, Buffer.from(decodeURIComponent(sig), 'base64')))
    throw new Refused('the query signature does not verify');
  const inflated = inflateRawSync(Buffer.from(decodeURIComponent(request), 'base64'), {
    maxOutputLength: testCap,
  });
  const root = parse(inflated.toString('utf8')).documentElement as unknown as Element;
  return { nameId: only(root, SAML, 'NameID').textContent ?? '', inflatedBytes: inflated.length };
}
