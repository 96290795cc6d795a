import { compileJsonPath } from './json-path.js';
import { capturedEmail, EMAIL_CAPTURE, type SignedInReader, type SignedInReading } from './signed-in.js';

/** How a target file says who is signed in (docs/target-file.md, `signedIn`). */
export interface SignedInSection {
  /** Visible text with `{email}` where the email stands. */
  text?: string;
  /** A regular expression over the visible text: `{email}` where the email stands, or exactly one capture group. */
  pattern?: string;
  /** A URL that answers, in the user agent's session, with the signed-in person's email (plain text or JSON). */
  whoami?: string;
  /** Where the email is in whoami's JSON answer (JSONPath); default `$.email`. */
  emailPath?: string;
  /** Only pages under this URL can show anyone signed in. */
  urlPrefix?: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The email where `{email}` stands: whole, from its first character (a greedy `.*` before it cannot take part of it). */
const NAMED_EMAIL = `(?<![^\\s<>"'(),;:])(?<email>${EMAIL_CAPTURE.slice(1, -1)})`;

/** How many capture groups a regular expression has. */
export const captureGroups = (source: string): number => new RegExp(`${source}|`).exec('')!.length - 1;

/** The regular expression that finds the email on a page, from `pattern` or `text`; undefined when neither identifies anyone. */
export function emailRegex(s: SignedInSection): RegExp | undefined {
  if (s.pattern !== undefined)
    return s.pattern.includes('{email}') || captureGroups(s.pattern) === 1
      ? new RegExp(s.pattern.replaceAll('{email}', NAMED_EMAIL))
      : undefined;
  if (s.text?.includes('{email}'))
    return new RegExp(s.text.split('{email}').map(escapeRegex).join(NAMED_EMAIL));
  return undefined;
}

const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Reads the whoami answer: the email, nobody (no session, an empty or null email), or unknown. */
function readWhoami(
  url: string,
  answer: { url: string; status: number; contentType: string; text: string },
  emailPath: string | undefined,
): SignedInReading {
  const where = `GET ${url} answered ${answer.status}`;
  if (answer.status === 401 || answer.status === 403 || answer.status === 404)
    return { kind: 'none', evidence: where };
  if (answer.status >= 300) return { kind: 'unknown', reason: `${where}` };
  if (answer.url && answer.url.split('?')[0] !== url.split('?')[0])
    return { kind: 'none', evidence: `${where} after being sent on to ${answer.url}` };
  const body = answer.text.trim();
  let value: unknown = body;
  if (/json/i.test(answer.contentType) || emailPath || body.startsWith('{')) {
    try {
      value = compileJsonPath(emailPath ?? '$.email').first(JSON.parse(body));
    } catch {
      return { kind: 'unknown', reason: `${where} with something that is not JSON: "${body.slice(0, 80)}"` };
    }
  }
  if (value === undefined || value === null || value === '')
    return { kind: 'none', evidence: `${where} with no email` };
  if (typeof value === 'string' && LOOKS_LIKE_EMAIL.test(value.trim()))
    return { kind: 'user', email: value.trim(), evidence: `${where}: ${value.trim()}` };
  return {
    kind: 'unknown',
    reason: `${where} with "${String(JSON.stringify(value)).slice(0, 80)}", not an email`,
  };
}

/** The reader a target file's `signedIn` section describes; `fill` resolves the URL placeholders. */
export function fileSignedInReader(s: SignedInSection, fill: (u: string) => string): SignedInReader {
  const re = emailRegex(s);
  return async (page, driver) => {
    if (s.urlPrefix && !page.url.startsWith(fill(s.urlPrefix)))
      return { kind: 'none', evidence: `the page ${page.url} is not under ${fill(s.urlPrefix)}` };
    if (s.whoami) {
      const url = fill(s.whoami);
      return readWhoami(url, await driver.request(url), s.emailPath);
    }
    if (!re)
      return {
        kind: 'unknown',
        reason:
          "the target file's signedIn names no email: give a pattern with a capture group, text with {email}, or whoami",
      };
    const email = capturedEmail(re.exec(page.text));
    return email
      ? {
          kind: 'user',
          email,
          evidence: `the page ${page.url} shows "${email}" where /${re.source}/ expects it`,
        }
      : { kind: 'none', evidence: `nothing on the page ${page.url} matches /${re.source}/` };
  };
}
