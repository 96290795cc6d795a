import { DOMParser } from '@xmldom/xmldom';
import type { CapturedSamlMessage } from '../drivers/driver.js';
import { CheckFailed, NotApplicable } from '../errors.js';
import type { SamlMessageExpectation } from '../scenario/types.js';
import { stepTraffic, type RunContext } from './context.js';
import { messageSignatureValid } from './message-signature.js';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const STATUS_PREFIX = 'urn:oasis:names:tc:SAML:2.0:status:';

/** What a check needs to know about one SAML message that crossed the user agent. */
export interface SamlMessageSummary {
  /** The root element's local name: AuthnRequest, Response, LogoutRequest, LogoutResponse … */
  type: string;
  from: 'sp' | 'idp' | 'unknown';
  issuer?: string;
  binding: 'redirect' | 'post';
  endpoint: string;
  /** A query signature (HTTP-Redirect) or a ds:Signature child of the message (HTTP-POST). */
  signed: boolean;
  /**
   * That signature verified with the sender's declared certificate (`valid`), did not
   * (`invalid`), or could not be checked, for want of the sender's certificate (`unchecked`).
   * Absent when no certificates were given to check with.
   */
  signature?: 'valid' | 'invalid' | 'unchecked';
  id?: string;
  inResponseTo?: string;
  /** The top-level StatusCode URN. */
  status?: string;
  nameId?: string;
  sessionIndex?: string;
}

const children = (el: Element, ns: string, name: string): Element[] =>
  Array.from(el.childNodes).filter(
    (n): n is Element =>
      n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name,
  );

const text = (el: Element | undefined) => el?.textContent?.trim() || undefined;

/**
 * Reads one captured message. The XML is parsed without entity expansion or network access
 * (xmldom); a message that does not parse is kept as type `unparseable`.
 */
export function summarizeSamlMessage(
  m: CapturedSamlMessage,
  entities: { sp: string; idp: string },
  certificates?: { sp?: string; idp?: string },
): SamlMessageSummary {
  let root: Element | undefined;
  try {
    const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(m.xml, 'text/xml');
    root = doc.documentElement ?? undefined;
  } catch {
    root = undefined;
  }
  if (!root || root.namespaceURI !== SAMLP) {
    return {
      type: 'unparseable',
      from: 'unknown',
      binding: m.binding,
      endpoint: m.endpoint,
      signed: m.querySigned ?? false,
    };
  }
  const issuer = text(children(root, SAML, 'Issuer')[0]);
  const status = children(children(root, SAMLP, 'Status')[0] ?? root, SAMLP, 'StatusCode')[0];
  const signed =
    m.binding === 'redirect' ? m.querySigned === true : children(root, DS, 'Signature').length > 0;
  const from = issuer === entities.sp ? 'sp' : issuer === entities.idp ? 'idp' : 'unknown';
  const certificate = from === 'unknown' ? undefined : certificates?.[from];
  return {
    type: root.localName,
    from,
    ...(issuer ? { issuer } : {}),
    binding: m.binding,
    endpoint: m.endpoint,
    signed,
    ...(certificates && signed
      ? {
          signature: !certificate ? 'unchecked' : messageSignatureValid(m, certificate) ? 'valid' : 'invalid',
        }
      : {}),
    ...(root.getAttribute('ID') ? { id: root.getAttribute('ID')! } : {}),
    ...(root.getAttribute('InResponseTo') ? { inResponseTo: root.getAttribute('InResponseTo')! } : {}),
    ...(status?.getAttribute('Value') ? { status: status.getAttribute('Value')! } : {}),
    ...(text(children(root, SAML, 'NameID')[0]) ? { nameId: text(children(root, SAML, 'NameID')[0]) } : {}),
    ...(text(children(root, SAMLP, 'SessionIndex')[0])
      ? { sessionIndex: text(children(root, SAMLP, 'SessionIndex')[0]) }
      : {}),
  };
}

const describe = (e: SamlMessageExpectation) =>
  [
    e.type,
    e.from && `from the ${e.from === 'sp' ? 'SP' : 'IdP'}`,
    e.binding && `over HTTP-${e.binding === 'redirect' ? 'Redirect' : 'POST'}`,
    e.signed !== undefined && (e.signed ? 'signed (the signature verifying)' : 'unsigned'),
    e.status && `with status ${e.status}`,
    e.sessionIndex !== undefined && (e.sessionIndex ? 'naming a SessionIndex' : 'naming no SessionIndex'),
    e.nameId && `for ${e.nameId}`,
    e.answersPrevious && 'answering an earlier request',
  ]
    .filter(Boolean)
    .join(' ');

/** Whether a message has every property the expectation lists; `earlier` are the messages before it. */
function matches(
  m: SamlMessageSummary,
  e: SamlMessageExpectation,
  earlier: readonly SamlMessageSummary[],
): boolean {
  if (m.type !== e.type) return false;
  if (e.from !== undefined && m.from !== e.from) return false;
  if (e.binding !== undefined && m.binding !== e.binding) return false;
  if (e.signed !== undefined && m.signed !== e.signed) return false;
  // Signed means a signature that verifies, wherever certificates were given to verify it.
  if (e.signed && m.signature !== undefined && m.signature !== 'valid') return false;
  if (e.status !== undefined) {
    const want = e.status.startsWith('urn:') ? e.status : STATUS_PREFIX + e.status;
    if (m.status !== want) return false;
  }
  if (e.sessionIndex !== undefined && (m.sessionIndex !== undefined) !== e.sessionIndex) return false;
  if (e.nameId !== undefined && m.nameId?.toLowerCase() !== e.nameId.toLowerCase()) return false;
  if (e.answersPrevious && !earlier.some((x) => x.id !== undefined && x.id === m.inResponseTo)) return false;
  return true;
}

/**
 * Grades a step's SAML traffic: the expected messages, in order, each matched by the first
 * later message with every listed property; an `absent` entry fails if any message matches it.
 * Throws CheckFailed naming the first expectation that has no match and what did cross.
 */
export function checkSamlMessageList(
  seen: readonly SamlMessageSummary[],
  expected: readonly SamlMessageExpectation[],
): void {
  let from = 0;
  for (const e of expected) {
    if (e.absent) {
      const hit = seen.findIndex((m, i) => matches(m, e, seen.slice(0, i)));
      if (hit >= 0)
        throw new CheckFailed(
          'ERR_CHECK_SAML_MESSAGES',
          `a ${describe(e)} crossed in this step (message ${hit + 1})`,
        );
      continue;
    }
    const at = seen.findIndex((m, i) => i >= from && matches(m, e, seen.slice(0, i)));
    if (at < 0) {
      const crossed = seen
        .map(
          (m) =>
            `${m.type} from ${m.from}${m.signed ? ` signed${m.signature && m.signature !== 'valid' ? ` (signature ${m.signature})` : ''}` : ''} over ${m.binding}`,
        )
        .join('; ');
      throw new CheckFailed(
        'ERR_CHECK_SAML_MESSAGES',
        `no ${describe(e)}${from > 0 ? ' after the previous expected message' : ''} crossed in this step (seen: ${crossed || 'none'})`,
      );
    }
    from = at + 1;
  }
}

/** The `samlMessages` expectation over the traffic of the current step so far. */
export async function checkSamlMessages(
  ctx: RunContext,
  expected: readonly SamlMessageExpectation[],
): Promise<void> {
  const entities = { sp: ctx.target.spEntityId, idp: ctx.tenant.entityId };
  const certificates = { sp: ctx.target.signingCertificatePem, idp: ctx.tenant.certificatePem };
  for (const e of expected) {
    const sender = e.from ?? 'sp';
    if (e.signed && !certificates[sender])
      throw new NotApplicable(
        sender === 'sp'
          ? `a signed ${e.type} from the SP is expected, and the target declares no signing certificate to verify it with (sp.signingCertificate in a target file)`
          : `a signed ${e.type} from the IdP is expected, and the IdP tenant's certificate is unknown`,
      );
  }
  const seen = (stepTraffic(ctx).samlMessages ?? []).map((m) =>
    summarizeSamlMessage(m, entities, certificates),
  );
  ctx.observed.samlMessages = seen;
  checkSamlMessageList(seen, expected);
}
