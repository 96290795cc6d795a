import type { CaughtMail } from './mail-catcher.js';

/**
 * What a mail of the SP is for, in words no SP uses: the vocabulary of `kind` in `mails` and
 * `openMail`. Each target recognises these its own way: the embedded reference SP by the header
 * it puts on its mail (env/reference-markup.ts), a target file by the `mails` it declares
 * (docs/target-file.md).
 */
export const MAIL_KINDS = {
  invitation:
    'the SP invites a person it was told about (by SCIM, say) to join: a link to accept the invitation',
  verification:
    'the SP asks a person to confirm their email address before joining (a further workspace): a link, a code or both',
} as const;

export type MailKind = keyof typeof MAIL_KINDS;
export const MAIL_KIND_NAMES = Object.keys(MAIL_KINDS) as MailKind[];

/** Which mail a step means: of this kind, and about this workspace when one is named. */
export interface MailQuery {
  kind: MailKind;
  /** The workspace (as scenarios name it: its slug) the mail is about. */
  workspace?: string;
}

/** Whether a mail answers a query; `unknown` (with the reason) when the target cannot tell any mail's kind or workspace. */
export type MailMatcher = ((m: CaughtMail) => boolean) | { unknown: string };

/** Recognises the SP's mail of a kind. */
export type MailRecogniser = (query: MailQuery) => MailMatcher;
