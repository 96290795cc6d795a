import type { SignedInReader } from './signed-in.js';
import { unescapeHtml } from './signed-in.js';

/**
 * How the reference SP (sp-under-test) marks up what its pages show, for tools to read: the
 * signed-in person is `data-signed-in-email` on the page.
 */
const SIGNED_IN_MARKER = /data-signed-in-email="([^"]*)"/g;

/** Who a page of the reference SP at `spUrl` shows signed in, read from its marker. */
export const referenceSignedIn =
  (spUrl: string): SignedInReader =>
  async (page) => {
    if (!page.url.startsWith(spUrl))
      return { kind: 'none', evidence: `the page ${page.url} is not the SP's` };
    const emails = new Set([...page.html.matchAll(SIGNED_IN_MARKER)].map((m) => unescapeHtml(m[1]!)));
    if (emails.size > 1)
      return {
        kind: 'unknown',
        reason: `the page ${page.url} marks several people signed in: ${[...emails].join(', ')}`,
      };
    const [email] = emails;
    return email
      ? { kind: 'user', email, evidence: `the page ${page.url} marks ${email} signed in` }
      : { kind: 'none', evidence: `the page ${page.url} marks nobody signed in` };
  };

/** The code the reference SP's refusal and error pages show as `data-error-code`. */
export const referenceRefusalCode = (page: { html: string }): string | undefined =>
  /data-error-code="([^"]+)"/.exec(page.html)?.[1];
