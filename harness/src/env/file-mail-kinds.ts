import type { MailKind, MailRecogniser } from './mail-kinds.js';

/** How a target file recognises one kind of mail by its subject: every condition given must hold (docs/target-file.md, `mails`). */
export interface MailKindSection {
  /** Text the subject contains; {workspace} stands for the workspace's slug. */
  subject?: string;
  /** A regular expression over the subject; {workspace} stands for the workspace's slug. */
  pattern?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The regular expression a declared `pattern` becomes: {workspace} filled, by a slug or by anything. */
export const mailPatternSource = (pattern: string, workspace?: string) =>
  pattern.replaceAll('{workspace}', workspace !== undefined ? escapeRegExp(workspace) : '.*');

/**
 * The recogniser a target file's `mails.kinds` describe. A kind it does not declare, or a
 * workspace asked about where the declaration does not say how a mail names it, is unknown, with the reason.
 */
export function fileMailKinds(
  declared: Partial<Record<MailKind, MailKindSection>> | undefined,
): MailRecogniser {
  return ({ kind, workspace }) => {
    const d = declared?.[kind];
    if (!d)
      return { unknown: `the target file declares no way to recognise ${kind} mail (mails.kinds.${kind})` };
    const namesWorkspace = [d.subject, d.pattern].some((s) => s?.includes('{workspace}'));
    if (workspace !== undefined && !namesWorkspace)
      return {
        unknown: `mails.kinds.${kind} does not say how a mail names its workspace ({workspace}), so the mail about ${workspace} cannot be told apart`,
      };
    const tests = [
      d.subject !== undefined
        ? mailPatternSource(escapeRegExp(d.subject).replaceAll('\\{workspace\\}', '{workspace}'), workspace)
        : undefined,
      d.pattern !== undefined ? mailPatternSource(d.pattern, workspace) : undefined,
    ].flatMap((source) => (source === undefined ? [] : [new RegExp(source)]));
    return (m) => tests.every((t) => t.test(m.subject));
  };
}
