import { CheckFailed, HarnessError, NotApplicable } from '../errors.js';
import type { CaughtMail } from '../env/mail-catcher.js';
import type { MailEvidence } from '../model.js';
import type { MailSelection, Step } from '../scenario/types.js';
import type { RunContext } from './context.js';

const CODE = /\b(\d{6})\b/;

const needMail = (ctx: RunContext) => {
  if (!ctx.target.mail)
    throw new NotApplicable(
      "this step reads the SP's mail, which the harness does not catch for this target",
    );
  return ctx.target.mail;
};

/**
 * Mail this run's SP sent (its links point back at the SP, which no other run shares) that
 * `selection` picks: by kind (and workspace), as the target recognises them, and by subject words.
 * A kind the target cannot recognise makes the step not applicable, with the reason.
 */
export function fromThisSp(ctx: RunContext, selection: Omit<MailSelection, 'to'> = {}) {
  const { kind, workspace, subject } = selection;
  let ofKind: (m: CaughtMail) => boolean = () => true;
  if (kind !== undefined) {
    const matcher = ctx.target.mailKind?.({ kind, ...(workspace !== undefined ? { workspace } : {}) }) ?? {
      unknown: `the target recognises no kind of mail, so not ${kind} mail (mails in a target file)`,
    };
    if (typeof matcher !== 'function') throw new NotApplicable(matcher.unknown);
    ofKind = matcher;
  }
  return (m: CaughtMail) =>
    m.links.some((l) => l.startsWith(ctx.target.baseUrl)) &&
    (!subject || m.subject.includes(subject)) &&
    ofKind(m);
}

/** How a selection reads in a verdict: `invitation mail about hr`. */
export const describeMailSelection = (s: MailSelection) =>
  [
    s.kind ? `${s.kind} mail` : 'mail',
    s.workspace ? ` about ${s.workspace}` : '',
    s.subject ? ` with subject "${s.subject}"` : '',
  ].join('');

const evidence = (m: CaughtMail): MailEvidence => ({
  id: m.id,
  receivedAt: m.receivedAt,
  from: m.from,
  to: m.to,
  subject: m.subject,
  text: m.text,
  links: m.links,
});

/**
 * Opens the newest mail to an address (waiting briefly for it), records it as evidence,
 * and optionally follows its link to this SP in the driver (as a person clicking it in
 * their mail client) and reads its six-digit code into {code}.
 */
export async function openMail(ctx: RunContext, step: NonNullable<Step['openMail']>): Promise<void> {
  const catcher = needMail(ctx);
  const mail = await catcher.newest(step.to, fromThisSp(ctx, step), 5000);
  if (!mail)
    throw new CheckFailed(
      'ERR_CHECK_MAIL',
      `no ${describeMailSelection(step)} from the SP to ${step.to} arrived`,
    );
  (ctx.mail ??= []).push(evidence(mail));
  ctx.observed.mail = { to: mail.to, subject: mail.subject };
  if (step.readCode) {
    const code = CODE.exec(mail.text)?.[1];
    if (!code)
      throw new CheckFailed('ERR_CHECK_MAIL', `the mail "${mail.subject}" carries no six-digit code`);
    (ctx.vars ??= {}).code = code;
  }
  if (step.followLink) {
    const link = mail.links.find((l) => l.startsWith(ctx.target.baseUrl));
    if (!link) throw new HarnessError('ERR_INTERNAL', 'the mail matched without a link to the SP');
    ctx.observed.followed = link.replace(/\/verify\/[^/?#]+/, '/verify/…');
    await ctx.driver.goto(link);
  }
}

/** The mail this run's SP sent to an address, waiting briefly for `expected` messages when fewer have arrived. */
export function countMail(ctx: RunContext, selection: MailSelection, expected = 0): Promise<CaughtMail[]> {
  const catcher = needMail(ctx);
  return catcher.atLeast(selection.to, expected, fromThisSp(ctx, selection), expected > 0 ? 5000 : 0);
}
