import { expect } from 'chai';
import nodemailer from 'nodemailer';
import { MailCatcher } from '../../harness/src/env/mail-catcher.js';
import type { MailRecogniser } from '../../harness/src/env/mail-kinds.js';
import { referenceMailKind } from '../../harness/src/env/reference-markup.js';
import type { RunTarget } from '../../harness/src/env/target.js';
import { CheckFailed, NotApplicable } from '../../harness/src/errors.js';
import type { Expectations, Step } from '../../harness/src/scenario/types.js';
import type { RunContext } from '../../harness/src/steps/context.js';
import { CHECKS } from '../../harness/src/steps/expect.js';
import { openMail } from '../../harness/src/steps/mail.js';

const SP = 'http://127.0.0.1:9/sp';

/** `passed`, the failure's code, or `not-applicable: <reason>`. */
async function verdict(run: () => Promise<void>): Promise<string> {
  try {
    await run();
    return 'passed';
  } catch (e) {
    if (e instanceof CheckFailed) return e.code;
    if (e instanceof NotApplicable) return `not-applicable: ${e.message}`;
    throw e;
  }
}

describe('harness: mail picked by what it is for (kind), recognised per target', () => {
  let catcher: MailCatcher;
  let sent = 0;
  before(async () => {
    catcher = await MailCatcher.start();
  });
  after(() => catcher.close());

  /** An SP sending one mail over SMTP: its own subject, and the reference SP's headers when given. */
  async function send(to: string, subject: string, headers: Record<string, string> = {}): Promise<void> {
    const t = nodemailer.createTransport({ host: catcher.host, port: catcher.port, secure: false });
    await t.sendMail({
      from: 'sp@acme.example',
      to,
      subject,
      text: `Open ${SP}/link/${sent++}`,
      headers,
    });
    t.close();
  }
  const reference = (kind: string, workspace = 'hr') => ({
    'X-Sp-Under-Test-Mail-Kind': kind,
    'X-Sp-Under-Test-Workspace': workspace,
  });

  const context = (mailKind?: MailRecogniser) =>
    ({
      target: { baseUrl: SP, mail: catcher, ...(mailKind ? { mailKind } : {}) } as unknown as RunTarget,
      driver: { goto: async () => {} },
      observed: {},
    }) as unknown as RunContext;
  const mails = (ctx: RunContext, e: NonNullable<Expectations['mails']>) =>
    verdict(() => CHECKS.mails(ctx, e));
  const open = (ctx: RunContext, s: NonNullable<Step['openMail']>) => verdict(() => openMail(ctx, s));

  it('the reference SP’s mail is recognised by its headers, whatever its subject says', async () => {
    const to = 'a1@acme.example';
    // A wrong SP: the subject reads like a verification, but the mail is an invitation.
    await send(to, 'Verify your email to join HR', reference('invitation'));
    const ctx = context(referenceMailKind);
    expect(await mails(ctx, { to, count: 1, kind: 'invitation' })).to.equal('passed');
    expect(await mails(ctx, { to, count: 0, kind: 'verification' })).to.equal('passed');
  });

  it('a mail of the wrong kind is not counted: the count is short and the check fails with its code', async () => {
    const to = 'a2@acme.example';
    await send(to, 'Welcome', reference('invitation'));
    const ctx = context(referenceMailKind);
    expect(await mails(ctx, { to, count: 1, kind: 'verification' })).to.equal('ERR_CHECK_MAIL');
    expect(ctx.observed.mails).to.deep.equal([]);
    expect(await mails(ctx, { to, count: 1, kind: 'invitation' })).to.equal('passed');
  });

  it('a verification for another workspace is not the one asked for', async () => {
    const to = 'a3@acme.example';
    await send(to, 'Check', reference('workspace-verification', 'hr'));
    const ctx = context(referenceMailKind);
    expect(await mails(ctx, { to, count: 1, kind: 'verification', workspace: 'hr' })).to.equal('passed');
    expect(await mails(ctx, { to, count: 1, kind: 'verification', workspace: 'legal' })).to.equal(
      'ERR_CHECK_MAIL',
    );
  });

  it('openMail opens the newest mail of the kind, not the newest mail', async () => {
    const to = 'a4@acme.example';
    await send(to, 'first', reference('workspace-verification'));
    await send(to, 'second', reference('invitation'));
    const ctx = context(referenceMailKind);
    expect(await open(ctx, { to, kind: 'verification' })).to.equal('passed');
    expect(ctx.observed.mail).to.deep.include({ subject: 'first' });
  });

  it('a kind the target cannot recognise is not applicable, with the reason: never a pass', async () => {
    const to = 'a5@acme.example';
    await send(to, 'Verify your email to join HR', reference('workspace-verification'));
    const ctx = context();
    expect(await mails(ctx, { to, count: 1, kind: 'verification' })).to.match(
      /^not-applicable: the target recognises no kind of mail/,
    );
    expect(await mails(ctx, { to, count: 0, kind: 'verification' })).to.match(/^not-applicable: /);
    expect(await open(ctx, { to, kind: 'verification' })).to.match(/^not-applicable: /);
    // Without a kind, the SP's own wording still picks mail (a scenario written for one SP).
    expect(await mails(ctx, { to, count: 1, subject: 'join HR' })).to.equal('passed');
  });
});
