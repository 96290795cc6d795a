import type { MailKind, MailRecogniser } from './mail-kinds.js';
import type { Outcome, OutcomeRecogniser } from './outcomes.js';
import type { SignedInReader } from './signed-in.js';
import { unescapeHtml } from './signed-in.js';

/**
 * How the reference SP (sp-under-test) marks up what its pages show, for tools to read: the
 * signed-in person is `data-signed-in-email` on the page, a refusal its `data-error-code`, other
 * outcomes a marker of their own.
 */
const SIGNED_IN_MARKER = /data-signed-in-email="([^"]*)"/g;
const SIGNED_IN_MARKER_ONE = /data-signed-in-email="[^"]+"/;

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

/** The error codes (`data-error-code`) by which the reference SP shows an outcome. */
const OUTCOME_CODES: Partial<Record<Outcome, RegExp>> = {
  refused: /^ERR_(SAML_[A-Z_]+|JIT_[A-Z_]+|BAD_CREDENTIALS)$/,
  lockedOut: /^ERR_MEMBER_INACTIVE$/,
  invitationPending: /^ERR_INVITATION_PENDING$/,
  linkUsed: /^ERR_VERIFICATION_USED$/,
  linkExpired: /^ERR_VERIFICATION_EXPIRED$/,
  envDenied: /^ERR_ENV_NO_ACCESS$/,
  ssoRequired: /^ERR_(ENV_REQUIRES_SSO|SSO_ENFORCED|PASSWORD_NOT_ACCEPTED)$/,
  passwordRequired: /^ERR_ENV_REQUIRES_PASSWORD$/,
  roleCannotEdit: /^ERR_ROLE_CANNOT_EDIT$/,
  folderDenied: /^ERR_FOLDER_NOT_ALLOWED$/,
  adminOnly: /^ERR_NOT_ADMIN$/,
};

/** Other markers by which the reference SP shows an outcome. */
const OUTCOME_MARKERS: Partial<Record<Outcome, RegExp>> = {
  lockedOut: /\sdata-locked-out[\s>=]/,
  verificationRequired: /\sdata-testid="verification-sent"/,
  editorOpened: /\sdata-testid="editor"/,
  signedOut: /\sdata-signed-out[\s>=]/,
};

/** The reference SP's outcomes, read from its markup on its own pages. */
export const referenceOutcomes =
  (spUrl: string): OutcomeRecogniser =>
  (outcome, page) => {
    if (!page.url.startsWith(spUrl))
      return { shown: false, evidence: `the page ${page.url} is not the SP's` };
    const code = /data-error-code="([^"]+)"/.exec(page.html)?.[1];
    if (outcome === 'opened') {
      const signedIn = SIGNED_IN_MARKER_ONE.test(page.html);
      const shown = page.status === 200 && !code && signedIn;
      return {
        shown,
        evidence: shown
          ? `${page.url} answered 200 to a signed-in person`
          : `${page.url} answered ${page.status}${code ? ` with ${code}` : ''}${signedIn ? '' : ', nobody signed in'}`,
      };
    }
    const byCode = code !== undefined && OUTCOME_CODES[outcome]?.test(code) === true;
    const byMarker = OUTCOME_MARKERS[outcome]?.test(page.html) === true;
    if (!OUTCOME_CODES[outcome] && !OUTCOME_MARKERS[outcome])
      return { unknown: `the reference SP shows no ${outcome} page` };
    return {
      shown: byCode || byMarker,
      evidence: byCode
        ? `${page.url} shows ${code}`
        : byMarker
          ? `${page.url} carries the ${outcome} marker`
          : `${page.url} (${page.status}) shows ${code ?? 'no error code'} and no ${outcome} marker`,
    };
  };
/** The code the reference SP's refusal and error pages show as `data-error-code`. */
export const referenceRefusalCode = (page: { html: string }): string | undefined =>
  /data-error-code="([^"]+)"/.exec(page.html)?.[1];

/** The reference SP's own names for what its mail is for (header X-Sp-Under-Test-Mail-Kind, sp-under-test/src/mail/mailer.ts). */
const REFERENCE_MAIL_KINDS: Record<MailKind, string> = {
  invitation: 'invitation',
  verification: 'workspace-verification',
};

/** The reference SP's mail, recognised by the headers it puts on each: its kind and its workspace's slug. */
export const referenceMailKind: MailRecogniser =
  ({ kind, workspace }) =>
  (m) =>
    m.headers['x-sp-under-test-mail-kind'] === REFERENCE_MAIL_KINDS[kind] &&
    (workspace === undefined || m.headers['x-sp-under-test-workspace'] === workspace);
