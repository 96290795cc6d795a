import type { CapturedLogin } from './captured-login.js';

const seconds = (ms: number) => {
  const s = ms / 1000;
  return `${s >= 0 ? '+' : '−'}${
    Math.abs(s) < 10
      ? Math.abs(s)
          .toFixed(3)
          .replace(/\.?0+$/, '')
      : Math.round(Math.abs(s))
  } s`;
};

/**
 * The response's validity window and clock facts, relative to the Assertion's IssueInstant:
 * NotBefore (the skew the IdP allows for), NotOnOrAfter, the SubjectConfirmationData and
 * session limits, when the user signed in, and, when the capture recorded when the browser
 * sent the response, how far the IdP's clock was from the browser's.
 */
export function timingFacts(c: CapturedLogin, capturedAt?: string): string[] {
  const a = c.assertion;
  const ii = Date.parse(a?.issueInstant ?? c.issueInstant ?? '');
  if (Number.isNaN(ii)) return [];
  const rel = (t: string | undefined) =>
    t && !Number.isNaN(Date.parse(t)) ? seconds(Date.parse(t) - ii) : undefined;
  const out: string[] = [];
  if (a) {
    out.push(
      `window from the Assertion IssueInstant: NotBefore ${rel(a.notBefore) ?? 'none'}, NotOnOrAfter ${rel(a.notOnOrAfter) ?? 'none'}, ` +
        `SubjectConfirmationData NotOnOrAfter ${rel(a.scdNotOnOrAfter) ?? 'none'}, SessionNotOnOrAfter ${rel(a.sessionNotOnOrAfter) ?? 'none'}`,
    );
    if (a.authnInstant) out.push(`AuthnInstant ${rel(a.authnInstant)} (when the user signed in at the IdP)`);
  }
  const response = Date.parse(c.issueInstant ?? '');
  if (a && !Number.isNaN(response) && response !== ii)
    out.push(`the Response IssueInstant is ${seconds(response - ii)} from the Assertion's`);
  const at = Date.parse(capturedAt ?? '');
  if (!Number.isNaN(at)) {
    out.push(
      `clock: the IssueInstant is ${seconds(ii - at)} from when the browser recorded the request carrying it (the IdP's clock against the browser's)`,
    );
  }
  return out;
}
