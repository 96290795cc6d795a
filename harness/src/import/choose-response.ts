import { DOMParser } from '@xmldom/xmldom';
import { HarnessError } from '../errors.js';
import { SAMLP, type CaptureMessage } from './decode-message.js';
import type { Capture } from './read-capture.js';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const kids = (e: Element, ns: string, local: string): Element[] =>
  Array.from(e.childNodes).filter(
    (n): n is Element =>
      n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local,
  );

/** What one message is, in a line: type, issuer, status, what it carries. */
export interface MessageSummary {
  message: CaptureMessage;
  login: boolean;
  line: string;
}

export function summarize(m: CaptureMessage): MessageSummary {
  const root = new DOMParser({ errorHandler: () => undefined }).parseFromString(
    m.xml,
    'text/xml',
  ).documentElement;
  const bits: string[] = [m.type];
  let login = false;
  if (root && root.namespaceURI === SAMLP) {
    const issuer = kids(root, SAML, 'Issuer')[0]?.textContent?.trim();
    if (issuer) bits.push(`from ${issuer}`);
    const code = kids(kids(root, SAMLP, 'Status')[0] ?? root, SAMLP, 'StatusCode')[0];
    const status = code?.getAttribute('Value');
    if (status) {
      const sub = kids(code!, SAMLP, 'StatusCode')[0]?.getAttribute('Value');
      bits.push(`status ${status.split(':').pop()}${sub ? `/${sub.split(':').pop()}` : ''}`);
    }
    if (m.type === 'Response') {
      const clear = kids(root, SAML, 'Assertion').length;
      const enc = kids(root, SAML, 'EncryptedAssertion').length;
      bits.push(
        clear + enc
          ? `${clear ? `${clear} Assertion` : ''}${clear && enc ? ' + ' : ''}${enc ? `${enc} EncryptedAssertion` : ''}`
          : 'no assertion',
      );
      login = clear + enc > 0 && status === SUCCESS;
    }
  } else if (root?.namespaceURI === MD) {
    bits.push('(IdP metadata: give it with --metadata)');
  }
  return { message: m, login, line: `${m.n}. ${bits.join(', ')}  [${m.origin}]` };
}

/**
 * Picks the login response of a capture: a Response with Success status and an assertion (the
 * first, unless `pick` names another message by number). The other messages are listed. Throws
 * ERR_CAPTURE_NO_LOGIN, listing every message found, when there is none.
 */
export function chooseLoginResponse(
  capture: Capture,
  pick?: number,
): { chosen: MessageSummary; others: MessageSummary[] } {
  const all = capture.messages.map(summarize);
  const listing = all.length ? `\n${all.map((s) => `  ${s.line}`).join('\n')}` : '';
  if (pick !== undefined) {
    const chosen = all[pick - 1];
    if (!chosen?.login) {
      throw new HarnessError(
        'ERR_BAD_OPTION',
        `--message ${pick}: ${chosen ? 'that message is not a login response' : `the capture has ${all.length} SAML messages`}${listing}`,
      );
    }
    return { chosen, others: all.filter((s) => s !== chosen) };
  }
  const chosen = all.find((s) => s.login);
  if (!chosen) {
    throw new HarnessError(
      'ERR_CAPTURE_NO_LOGIN',
      `found ${capture.found} with ${all.length ? `${all.length} SAML message${all.length === 1 ? '' : 's'}, none of them a successful login Response with an assertion:` : 'no SAML message'}${listing}`,
    );
  }
  return { chosen, others: all.filter((s) => s !== chosen) };
}
