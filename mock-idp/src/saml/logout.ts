import { parseWellFormed } from '../xml/parse.js';
import { IdpError } from '../errors.js';
import { uuid } from '../profiles/ids.js';
import { el, type XmlElement } from '../xml/element.js';

/** SAML Core 3.7: LogoutRequest and LogoutResponse, as the IdP reads and writes them. */
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface LogoutRequestIn {
  kind: 'request';
  id: string;
  issuer: string;
  nameId: string;
  sessionIndexes: string[];
  destination: string | undefined;
}
export interface LogoutResponseIn {
  kind: 'response';
  id: string;
  issuer: string;
  inResponseTo: string | undefined;
  status: string;
}

function parse(xml: string): Element {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new IdpError('ERR_LOGOUT_REQUEST_MALFORMED', 'DTD not allowed');
  const parsed = parseWellFormed(xml);
  if (!parsed.doc) throw new IdpError('ERR_LOGOUT_REQUEST_MALFORMED', parsed.problem);
  return parsed.doc.documentElement;
}

const childText = (root: Element, ns: string, local: string): string[] => {
  const out: string[] = [];
  for (let c = root.firstChild; c; c = c.nextSibling) {
    const e = c as Element;
    if (c.nodeType === 1 && e.namespaceURI === ns && e.localName === local)
      out.push((e.textContent ?? '').trim());
  }
  return out;
};

/** Reads a LogoutRequest or LogoutResponse; throws ERR_LOGOUT_REQUEST_MALFORMED for anything else. */
export function parseLogoutMessage(xml: string): LogoutRequestIn | LogoutResponseIn {
  const root = parse(xml);
  const id = root.getAttribute('ID') ?? '';
  if (
    root.namespaceURI !== SAMLP ||
    !/^[A-Za-z_][\w.-]*$/.test(id) ||
    root.getAttribute('Version') !== '2.0'
  ) {
    throw new IdpError(
      'ERR_LOGOUT_REQUEST_MALFORMED',
      `${root.localName} without a valid ID and Version 2.0`,
    );
  }
  const issuer = childText(root, SAML, 'Issuer')[0] ?? '';
  if (root.localName === 'LogoutRequest') {
    const nameId = childText(root, SAML, 'NameID')[0];
    if (!nameId) throw new IdpError('ERR_LOGOUT_REQUEST_MALFORMED', 'LogoutRequest without NameID');
    return {
      kind: 'request',
      id,
      issuer,
      nameId,
      sessionIndexes: childText(root, SAMLP, 'SessionIndex'),
      destination: root.getAttribute('Destination') || undefined,
    };
  }
  if (root.localName === 'LogoutResponse') {
    let status = '';
    for (let c = root.firstChild; c; c = c.nextSibling) {
      const e = c as Element;
      if (c.nodeType === 1 && e.localName === 'Status') {
        const code = e.getElementsByTagNameNS(SAMLP, 'StatusCode')[0];
        status = code?.getAttribute('Value') ?? '';
      }
    }
    return {
      kind: 'response',
      id,
      issuer,
      inResponseTo: root.getAttribute('InResponseTo') || undefined,
      status,
    };
  }
  throw new IdpError('ERR_LOGOUT_REQUEST_MALFORMED', `root element is ${root.localName}`);
}

/** A LogoutRequest from the IdP to the SP (IdP-initiated Single Logout). */
export function logoutRequest(opts: {
  issuer: string;
  destination: string;
  nameId: string;
  nameIdFormat: string;
  sessionIndex: string | undefined;
  now: Date;
}): XmlElement {
  return el(
    'samlp:LogoutRequest',
    [
      ['xmlns:samlp', SAMLP],
      ['xmlns:saml', SAML],
      ['ID', '_' + uuid()],
      ['Version', '2.0'],
      ['IssueInstant', opts.now.toISOString()],
      ['Destination', opts.destination],
    ],
    [
      el('saml:Issuer', [], [opts.issuer]),
      el('saml:NameID', [['Format', opts.nameIdFormat]], [opts.nameId]),
      ...(opts.sessionIndex ? [el('samlp:SessionIndex', [], [opts.sessionIndex])] : []),
    ],
  );
}

/** The IdP's answer to an SP's LogoutRequest. */
export function logoutResponse(opts: {
  issuer: string;
  destination: string;
  inResponseTo: string;
  status?: string;
  now: Date;
}): XmlElement {
  return el(
    'samlp:LogoutResponse',
    [
      ['xmlns:samlp', SAMLP],
      ['xmlns:saml', SAML],
      ['ID', '_' + uuid()],
      ['Version', '2.0'],
      ['IssueInstant', opts.now.toISOString()],
      ['Destination', opts.destination],
      ['InResponseTo', opts.inResponseTo],
    ],
    [
      el('saml:Issuer', [], [opts.issuer]),
      el('samlp:Status', [], [el('samlp:StatusCode', [['Value', opts.status ?? STATUS_SUCCESS]])]),
    ],
  );
}
