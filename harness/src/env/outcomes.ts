import type { PageState } from '../drivers/driver.js';

/**
 * What a page shows happened, in words no SP uses: the vocabulary of `page.shows` in scenarios.
 * Each target recognises these its own way: the embedded reference SP by its markup
 * (env/reference-markup.ts), a target file by the `outcomes` it declares (docs/target-file.md).
 * Outcomes shown by the IdP are recognised by the harness for every target: the IdP is ours.
 */
export const OUTCOMES = {
  refused: 'the SP refused the sign-in (a SAML response it does not accept, or a person it does not admit)',
  lockedOut:
    "the person's access was removed: the SP turns away a member who is deactivated, suspended or deleted",
  verificationRequired:
    'the SP asks the person to confirm their email address (a mail is on its way) before letting them in',
  invitationPending: 'the person was invited and must accept the invitation before signing in',
  linkUsed: 'a one-time link (email verification, invitation) was already used',
  linkExpired: 'a one-time link (email verification, invitation) has expired',
  envDenied: 'the person has no access to this environment',
  ssoRequired: 'this person or environment must sign in with single sign-on, not a password',
  passwordRequired: 'this environment accepts a password only, not single sign-on',
  roleCannotEdit: "the person's role lets them look at this but not change it",
  folderDenied: "the person's role does not open this folder, nor what is in it",
  adminOnly: "only the workspace's admins may open this page",
  opened: 'the page opened for the signed-in person: the SP shows what was asked for',
  editorOpened: 'the editor opened: the person may change this',
  signedOut: "the SP's page telling the person they are signed out",
  idpSignIn: "the IdP's sign-in page: the person has to sign in at the IdP (recognised by the harness)",
  idpRefused: "the IdP's error page: it refused the SP's request (recognised by the harness)",
  idpSignedOut: "the IdP's page saying Single Logout finished everywhere (recognised by the harness)",
} as const;

export type Outcome = keyof typeof OUTCOMES;
export const OUTCOME_NAMES = Object.keys(OUTCOMES) as Outcome[];

/** The outcomes the IdP shows, which the harness recognises for every target. */
export const IDP_OUTCOMES: readonly Outcome[] = ['idpSignIn', 'idpRefused', 'idpSignedOut'];
/** The outcomes a target recognises (the embedded SP by its markup, a target file by its `outcomes`). */
export const SP_OUTCOMES = OUTCOME_NAMES.filter((o) => !IDP_OUTCOMES.includes(o));

/** Whether a page shows an outcome, with what was seen; `unknown` when the target cannot tell. */
export type OutcomeReading = { shown: boolean; evidence: string } | { unknown: string };

/** Recognises an SP outcome on a page. */
export type OutcomeRecogniser = (outcome: Outcome, page: PageState) => OutcomeReading;

/** The IdP's outcomes, from the mock IdP's own markup on a page under `idpOrigin`. */
export function idpOutcome(outcome: Outcome, page: PageState, idpOrigin: string): OutcomeReading {
  const atIdp = page.url.startsWith(idpOrigin);
  const marker = {
    idpSignIn: /<input[^>]*name="password"/,
    idpRefused: /data-error-code="[^"]+"/,
    idpSignedOut: /data-signed-out="true"/,
  }[outcome as 'idpSignIn' | 'idpRefused' | 'idpSignedOut'];
  const seen = atIdp ? marker?.exec(page.html)?.[0] : undefined;
  return {
    shown: seen !== undefined,
    evidence: seen
      ? `the IdP's page at ${page.url} carries ${seen}`
      : `${page.url} is not the IdP's ${outcome} page${atIdp ? '' : ` (not under ${idpOrigin})`}`,
  };
}
