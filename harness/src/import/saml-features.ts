import { DOMParser } from '@xmldom/xmldom';

/**
 * Structural features of a SAML Response, as seen on the wire: the things that differ from
 * one IdP vendor to another and that SPs trip over. Each feature is a short string, so two
 * responses can be compared feature by feature. A feature that does not apply (no
 * Assertion in clear, no signature) is `n/a`.
 */
export type Features = Record<FeatureName, string>;

export const FEATURE_NAMES = [
  'xmlDeclaration',
  'prefixes',
  'namespaceDeclarations',
  'responseAttributeOrder',
  'responseChildren',
  'assertionAttributeOrder',
  'assertionChildren',
  'issuerPattern',
  'issuerFormat',
  'nameIdFormat',
  'attributeNameFormat',
  'valueType',
  'valueNamespaceDeclarations',
  'emptyValueForm',
  'idPattern',
  'sessionIndex',
  'timestampPrecision',
  'window',
  'subjectConfirmationDataAttributeOrder',
  'authnStatementAttributeOrder',
  'authnContextClassRef',
  'signedElements',
  'signatureAlgorithms',
  'inclusiveNamespaces',
  'keyInfo',
  'base64Wrapping',
  'encryption',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const NA = 'n/a';

const elementsOf = (node: Node): Element[] =>
  Array.from(node.childNodes).filter((n): n is Element => n.nodeType === 1);
const attrsOf = (e: Element): Attr[] => Array.from(e.attributes);
const child = (e: Element | undefined, local: string): Element | undefined =>
  e ? elementsOf(e).find((c) => c.localName === local) : undefined;
function all(root: Element, local: string, skipSignatures = true): Element[] {
  const out: Element[] = [];
  const walk = (e: Element) => {
    if (skipSignatures && e.localName === 'Signature' && e.namespaceURI === DS) return;
    if (e.localName === local) out.push(e);
    elementsOf(e).forEach(walk);
  };
  walk(root);
  return out;
}
const uniq = (xs: string[]): string => (xs.length ? [...new Set(xs)].sort().join(' ') : 'none');
const prefix = (e: Element | undefined): string => (e ? e.prefix || '(default)' : NA);

/** `_` + UUID → `_{uuid}`, `id` + digits → `id{digits}`, `R` + 40 hex → `R{hex40}`. */
export function idShape(id: string | null | undefined): string {
  if (!id) return 'none';
  const u = id.replace(UUID_RE, '{uuid}');
  if (u !== id) return u;
  const d = /^([A-Za-z_]*)(\d{8,})$/.exec(id);
  if (d) return `${d[1]}{digits}`;
  const h = /^([A-Za-z_]*?)([0-9a-f]{16,})$/.exec(id);
  if (h) return `${h[1]}{hex${h[2]!.length}}`;
  return '{other}';
}

/** The Issuer with its tenant-specific identifier generalised. */
export function issuerShape(issuer: string): string {
  return issuer
    .replace(UUID_RE, '{uuid}')
    .replace(/([/=])([A-Za-z0-9]+)$/, (_m, sep: string, tok: string) =>
      /^\d+$/.test(tok) ? `${sep}{digits}` : `${sep}{alnum}`,
    );
}

const seconds = (a: string | null | undefined, base: number): string =>
  a ? String(Math.round((Date.parse(a) - base) / 1000)) : 'none';

function wrapping(text: string | null | undefined): string {
  if (!text) return NA;
  const lines = text.trim().split('\n');
  return lines.length === 1 ? 'one-line' : `wrapped${lines[0]!.length}`;
}

export function extractFeatures(xml: string): Features {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const response = doc.documentElement;
  const assertion = child(response, 'Assertion');
  const decl = /^\s*<\?xml([^?]*)\?>/.exec(xml)?.[1];

  const responseSig = elementsOf(response).find((e) => e.localName === 'Signature');
  const assertionSig = assertion ? child(assertion, 'Signature') : undefined;
  const signatures = [responseSig, assertionSig].filter((s): s is Element => s !== undefined);
  const firstSig = signatures[0];

  // Namespace declarations on each element outside signatures, keyed by path of local names.
  const decls: string[] = [];
  const walk = (e: Element, path: string) => {
    if (e.localName === 'Signature' && e.namespaceURI === DS) return;
    if (path.includes('EncryptedAssertion')) return;
    const here = attrsOf(e)
      .filter((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:'))
      .map((a) => (a.name === 'xmlns' ? '(default)' : a.name.slice(6)));
    if (here.length) decls.push(`${path}[${here.join(',')}]`);
    for (const c of elementsOf(e)) walk(c, `${path}/${c.localName}`);
  };
  walk(response, response.localName ?? '');

  const attributes = assertion ? all(assertion, 'Attribute') : [];
  const values = assertion ? all(assertion, 'AttributeValue') : [];
  const iiText = assertion?.getAttribute('IssueInstant') ?? response.getAttribute('IssueInstant') ?? '';
  const ii = Date.parse(iiText);
  const conditions = child(assertion, 'Conditions');
  const scd = child(child(child(assertion, 'Subject'), 'SubjectConfirmation'), 'SubjectConfirmationData');
  const authn = child(assertion, 'AuthnStatement');
  const times = [
    iiText,
    response.getAttribute('IssueInstant'),
    conditions?.getAttribute('NotBefore'),
    conditions?.getAttribute('NotOnOrAfter'),
    scd?.getAttribute('NotOnOrAfter'),
  ].filter((t): t is string => !!t);
  const sessionIndex = authn?.getAttribute('SessionIndex');

  let emptyValueForm = NA;
  if (attributes.length) {
    if (attributes.some((a) => !child(a, 'AttributeValue'))) emptyValueForm = 'attribute-without-value';
    else if (values.some((v) => (v.textContent ?? '') === '')) emptyValueForm = 'empty-value';
    else emptyValueForm = 'not-shown';
  }

  const sigAlg = (s: Element) => {
    const si = child(s, 'SignedInfo');
    const ref = child(si, 'Reference');
    return [
      child(si, 'CanonicalizationMethod')?.getAttribute('Algorithm'),
      child(si, 'SignatureMethod')?.getAttribute('Algorithm'),
      child(ref, 'DigestMethod')?.getAttribute('Algorithm'),
      elementsOf(child(ref, 'Transforms') ?? response)
        .map((t) => t.getAttribute('Algorithm'))
        .join('+'),
    ].join(' ');
  };
  const prefixList = (s: Element) =>
    all(s, 'InclusiveNamespaces', false)
      .map((e) => e.getAttribute('PrefixList'))
      .join('|') || 'none';

  const encrypted = child(response, 'EncryptedAssertion');
  let encryption = NA;
  if (encrypted) {
    const data = child(encrypted, 'EncryptedData');
    const keyInfo = child(data, 'KeyInfo');
    const inline = child(keyInfo, 'EncryptedKey');
    const sibling = child(encrypted, 'EncryptedKey');
    const key = inline ?? sibling;
    const keyMethod = child(key, 'EncryptionMethod');
    encryption = [
      child(data, 'EncryptionMethod')?.getAttribute('Algorithm'),
      `keyInfo=${
        keyInfo
          ? elementsOf(keyInfo)
              .map((e) => e.localName)
              .join(',')
          : 'none'
      }`,
      `key=${inline ? 'inline' : sibling ? 'sibling' : 'none'}`,
      keyMethod?.getAttribute('Algorithm'),
      `digest=${child(keyMethod, 'DigestMethod')?.getAttribute('Algorithm') ?? 'none'}`,
      `keyCert=${child(child(key, 'KeyInfo'), 'X509Data') ? 'X509Data' : 'none'}`,
      `referenceList=${child(key, 'ReferenceList') ? 'yes' : 'no'}`,
    ].join(' ');
  }

  return {
    encryption,
    xmlDeclaration: decl === undefined ? 'none' : decl.trim().replace(/\s+/g, ' '),
    prefixes: [
      `Response=${prefix(response)}`,
      `Issuer=${prefix(child(response, 'Issuer'))}`,
      `Status=${prefix(child(response, 'Status'))}`,
      `Assertion=${prefix(assertion)}`,
      `Attribute=${attributes[0] ? prefix(attributes[0]) : NA}`,
      `Signature=${prefix(firstSig)}`,
    ].join(' '),
    namespaceDeclarations: [...new Set(decls)].join(' '),
    responseAttributeOrder: attrsOf(response)
      .map((a) => a.name)
      .join(' '),
    responseChildren: elementsOf(response)
      .map((e) => e.localName)
      .join(','),
    assertionAttributeOrder: assertion
      ? attrsOf(assertion)
          .map((a) => a.name)
          .join(' ')
      : NA,
    assertionChildren: assertion
      ? elementsOf(assertion)
          .map((e) => e.localName)
          .join(',')
      : NA,
    issuerPattern: issuerShape((child(response, 'Issuer') ?? child(assertion, 'Issuer'))?.textContent ?? ''),
    issuerFormat: uniq(
      [child(response, 'Issuer'), child(assertion, 'Issuer')]
        .filter((e): e is Element => !!e)
        .map((e) => e.getAttribute('Format') || 'none'),
    ),
    nameIdFormat: assertion ? (all(assertion, 'NameID')[0]?.getAttribute('Format') ?? 'none') : NA,
    attributeNameFormat: attributes.length
      ? uniq(attributes.map((a) => a.getAttribute('NameFormat') || 'none'))
      : NA,
    valueType: values.length ? uniq(values.map((v) => v.getAttributeNS(XSI, 'type') || 'none')) : NA,
    valueNamespaceDeclarations: values.length
      ? uniq(
          values.map(
            (v) =>
              attrsOf(v)
                .filter((a) => a.name.startsWith('xmlns'))
                .map((a) => a.name)
                .join(',') || 'none',
          ),
        )
      : NA,
    emptyValueForm,
    idPattern: `${idShape(response.getAttribute('ID'))} ${assertion ? idShape(assertion.getAttribute('ID')) : NA}`,
    sessionIndex: !authn
      ? NA
      : !sessionIndex
        ? 'none'
        : sessionIndex === assertion?.getAttribute('ID')
          ? '=AssertionID'
          : sessionIndex === response.getAttribute('InResponseTo')
            ? '=InResponseTo'
            : idShape(sessionIndex),
    timestampPrecision: times.some((t) => /\.\d+Z$/.test(t)) ? 'milliseconds' : 'seconds',
    window: assertion
      ? [
          `NotBefore${seconds(conditions?.getAttribute('NotBefore'), ii)}`,
          `NotOnOrAfter${seconds(conditions?.getAttribute('NotOnOrAfter'), ii)}`,
          `SCD${seconds(scd?.getAttribute('NotOnOrAfter'), ii)}`,
          `Session${seconds(authn?.getAttribute('SessionNotOnOrAfter'), ii)}`,
        ].join(' ')
      : NA,
    subjectConfirmationDataAttributeOrder: scd
      ? attrsOf(scd)
          .map((a) => a.name)
          .filter((n) => n !== 'InResponseTo')
          .join(' ') +
        (scd.hasAttribute('InResponseTo')
          ? ` IRT@${attrsOf(scd).findIndex((a) => a.name === 'InResponseTo')}`
          : '')
      : NA,
    authnStatementAttributeOrder: authn
      ? attrsOf(authn)
          .map((a) => a.name)
          .join(' ')
      : NA,
    authnContextClassRef: authn ? (all(authn, 'AuthnContextClassRef')[0]?.textContent ?? 'none') : NA,
    signedElements:
      [responseSig ? 'Response' : '', assertionSig ? 'Assertion' : ''].filter(Boolean).join('+') || 'none',
    signatureAlgorithms: signatures.length ? uniq(signatures.map(sigAlg)) : NA,
    inclusiveNamespaces: signatures.length ? signatures.map(prefixList).join(' / ') : NA,
    keyInfo: firstSig
      ? (child(child(firstSig, 'KeyInfo'), 'X509Data') ?? child(firstSig, 'KeyInfo'))
        ? elementsOf(child(child(firstSig, 'KeyInfo'), 'X509Data') ?? child(firstSig, 'KeyInfo')!)
            .map((e) => e.localName)
            .join(',')
        : 'none'
      : NA,
    base64Wrapping: firstSig
      ? `certificate:${wrapping(all(firstSig, 'X509Certificate', false)[0]?.textContent)} value:${wrapping(child(firstSig, 'SignatureValue')?.textContent)}`
      : NA,
  };
}

/** Features that list names in order; optional members may be absent from one response or another. */
const ORDER_FEATURES = new Set<FeatureName>([
  'responseAttributeOrder',
  'responseChildren',
  'assertionAttributeOrder',
  'assertionChildren',
  'authnStatementAttributeOrder',
]);
const tokens = (v: string): string[] => v.split(/[ ,]/).filter(Boolean);

/**
 * Two orderings agree when every name of `mock` occurs in `real` or in another sample of the
 * vendor, and the names both contain come in the same relative order.
 */
function sameOrder(mock: string, real: string, known: ReadonlySet<string>): boolean {
  const m = tokens(mock);
  const r = tokens(real);
  if (!m.every((t) => known.has(t))) return false;
  const common = m.filter((t) => r.includes(t));
  const inReal = r.filter((t) => common.includes(t));
  return common.join(' ') === inReal.join(' ');
}

/** Features with nothing to compare: the mock shows no empty value, or is not encrypted. */
const UNSHOWN: Partial<Record<FeatureName, string>> = { emptyValueForm: 'not-shown', encryption: NA };

/** Which features of `mock` are outside what the real samples show. */
export function compareFeatures(
  mock: Features,
  samples: Features[],
  only: readonly FeatureName[] = FEATURE_NAMES,
): { feature: FeatureName; mock: string; real: string[] }[] {
  const out: { feature: FeatureName; mock: string; real: string[] }[] = [];
  for (const f of only) {
    const real = [...new Set(samples.map((s) => s[f]).filter((v) => v !== NA && v !== UNSHOWN[f]))];
    if (real.length === 0 || mock[f] === UNSHOWN[f]) continue;
    const known = new Set(real.flatMap(tokens));
    const ok = ORDER_FEATURES.has(f)
      ? mock[f] !== NA && real.some((r) => sameOrder(mock[f], r, known))
      : real.includes(mock[f]);
    if (!ok) out.push({ feature: f, mock: mock[f], real });
  }
  return out;
}
