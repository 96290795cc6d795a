import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { HarnessError } from '../errors.js';
import { toPem } from './captured-login.js';
import { xmlProblem } from './well-formed.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

/** What import uses of an IdP's metadata. */
export interface IdpMetadata {
  entityId: string;
  signingCertificates: string[];
  nameIdFormats: string[];
  singleLogout: boolean;
}

const all = (e: Element | Document, ns: string, local: string): Element[] =>
  Array.from(e.getElementsByTagNameNS(ns, local));

function fail(where: string, what: string): never {
  throw new HarnessError('ERR_IDP_METADATA', `${where}: ${what}`);
}

async function fetchText(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    fail(
      url,
      `could not be fetched (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`,
    );
  }
  if (!res.ok) fail(url, `answered HTTP ${res.status}`);
  return res.text();
}

/**
 * Reads IdP metadata from a file or an http(s) URL: the EntityDescriptor with an
 * IDPSSODescriptor (the one whose entityID is `issuer` when the file lists several), its
 * signing certificates, NameID formats and whether it offers Single Logout.
 */
export async function readMetadata(source: string, issuer: string | undefined): Promise<IdpMetadata> {
  let text: string;
  if (/^https?:\/\//i.test(source)) text = await fetchText(source);
  else {
    try {
      text = readFileSync(source, 'utf8');
    } catch (e) {
      fail(source, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  text = text.replace(/^\uFEFF/, '').trim();
  const problem = xmlProblem(text);
  if (problem)
    fail(source, `not well-formed XML at line ${problem.line}, column ${problem.column}: ${problem.message}`);
  const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(text, 'text/xml');
  const idps = all(doc, MD, 'EntityDescriptor').filter((e) => all(e, MD, 'IDPSSODescriptor').length);
  if (!idps.length) {
    const root = doc.documentElement;
    fail(
      source,
      `holds no EntityDescriptor with an IDPSSODescriptor (its root is <${root?.nodeName ?? '?'}>)`,
    );
  }
  const entity = idps.find((e) => e.getAttribute('entityID') === issuer) ?? idps[0]!;
  const idp = all(entity, MD, 'IDPSSODescriptor')[0]!;
  const signing = all(idp, MD, 'KeyDescriptor').filter(
    (k) => (k.getAttribute('use') || 'signing') === 'signing',
  );
  return {
    entityId: entity.getAttribute('entityID') ?? '',
    signingCertificates: signing
      .flatMap((k) => all(k, DS, 'X509Certificate'))
      .map((c) => toPem(c.textContent ?? '')),
    nameIdFormats: all(idp, MD, 'NameIDFormat').map((n) => n.textContent?.trim() ?? ''),
    singleLogout: all(idp, MD, 'SingleLogoutService').length > 0,
  };
}
