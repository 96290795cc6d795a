import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { capabilitiesOf } from '../../harness/src/env/capabilities.js';
import { ExternalTarget, loadTargetFile } from '../../harness/src/env/external-target.js';
import { fileMailKinds } from '../../harness/src/env/file-mail-kinds.js';
import { MailCatcher, type CaughtMail } from '../../harness/src/env/mail-catcher.js';
import type { MailRecogniser } from '../../harness/src/env/mail-kinds.js';
import { referenceMailKind } from '../../harness/src/env/reference-markup.js';
import type { RunTarget } from '../../harness/src/env/target.js';
import { CheckFailed, NotApplicable, type InputError } from '../../harness/src/errors.js';
import { whyNotApplicable } from '../../harness/src/runner/applicability.js';
import { loadScenarioText } from '../../harness/src/scenario/load.js';
import type { Expectations, Scenario, Step } from '../../harness/src/scenario/types.js';
import type { RunContext } from '../../harness/src/steps/context.js';
import { CHECKS } from '../../harness/src/steps/expect.js';
import { openMail } from '../../harness/src/steps/mail.js';
import { freePort } from '../helpers/ledgerly.js';

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

describe('harness: a target file says how its SP’s mail reads (mails)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mail-kinds-'));
  let n = 0;
  const SP_ORIGIN = 'http://127.0.0.1:9';
  function targetFile(mails: string[]): string {
    const file = join(dir, `t${n++}.yaml`);
    writeFileSync(
      file,
      [
        'name: mailer',
        `sp: { loginUrl: "${SP_ORIGIN}/home", acsUrl: "${SP_ORIGIN}/acs", entityId: urn:mailer, workspace: team }`,
        'signedIn: { text: "Hello {email}" }',
        'idp: { port: 7999 }',
        ...(mails.length ? ['mails:', ...mails.map((m) => `  ${m}`)] : []),
        '',
      ].join('\n'),
    );
    return file;
  }
  const problems = (mails: string[]) => {
    try {
      loadTargetFile(targetFile(mails));
    } catch (e) {
      expect((e as InputError).code).to.equal('ERR_TARGET_FILE');
      return (e as InputError).problems.map((p) => p.path);
    }
    return [];
  };

  it('recognises a declared kind by its subject, and a workspace only where the declaration names it', () => {
    const read = fileMailKinds({
      invitation: { subject: "You've been added" },
      verification: { pattern: '^Confirm your email for {workspace}$' },
    });
    const mail = (subject: string) => ({ subject }) as CaughtMail;
    const invitation = read({ kind: 'invitation' }) as (m: CaughtMail) => boolean;
    expect(invitation(mail("You've been added to team"))).to.equal(true);
    expect(invitation(mail('Confirm your email for team'))).to.equal(false);
    const verification = read({ kind: 'verification', workspace: 'team' }) as (m: CaughtMail) => boolean;
    expect(verification(mail('Confirm your email for team'))).to.equal(true);
    expect(verification(mail('Confirm your email for other'))).to.equal(false);
    expect(
      (read({ kind: 'verification' }) as (m: CaughtMail) => boolean)(mail('Confirm your email for x')),
    ).to.equal(true);
    expect(read({ kind: 'invitation', workspace: 'team' }))
      .to.have.property('unknown')
      .that.match(/\{workspace\}/);
    expect(fileMailKinds({ invitation: { subject: 'x' } })({ kind: 'verification' }))
      .to.have.property('unknown')
      .that.match(/mails\.kinds\.verification/);
  });

  it('a file with an unknown kind, an empty one, a bad pattern or no smtp is refused with its key path', () => {
    expect(problems(['smtp: { port: 2525 }', 'kinds: { welcome: { subject: Hi } }'])).to.deep.equal([
      'mails.kinds.welcome',
    ]);
    expect(problems(['smtp: { port: 2525 }', 'kinds: { invitation: {} }'])).to.deep.equal([
      'mails.kinds.invitation',
    ]);
    expect(problems(['smtp: { port: 2525 }', 'kinds: { invitation: { pattern: "(" } }'])).to.deep.equal([
      'mails.kinds.invitation.pattern',
    ]);
    expect(problems(['kinds: { invitation: { subject: Hi } }'])).to.have.length(1);
    expect(
      problems(['smtp: { port: 2525 }', 'kinds: { verification: { pattern: "for {workspace}$" } }']),
    ).to.deep.equal([]);
  });

  it('a case that opens a kind of mail the file does not declare does not apply, with the reason', () => {
    const caps = capabilitiesOf(
      loadTargetFile(targetFile(['smtp: { port: 2525 }', 'kinds: { invitation: { subject: Hi } }'])),
    );
    const scenario = (kind: 'invitation' | 'verification') =>
      ({ case: 'c', title: 't', steps: [{ openMail: { to: 'a@x.example', kind } }] }) as unknown as Scenario;
    expect(whyNotApplicable(scenario('verification'), caps)).to.match(/mails\.kinds\.verification/);
    expect(whyNotApplicable(scenario('invitation'), caps)).to.equal(undefined);
    const without = capabilitiesOf(loadTargetFile(targetFile([])));
    expect(whyNotApplicable(scenario('invitation'), without)).to.match(/does not catch/);
  });

  it('catches the SP’s mail on its smtp port: the wrong kind fails the count, an undeclared kind is n/a', async () => {
    const port = await freePort();
    const target = new ExternalTarget(
      loadTargetFile(
        targetFile([`smtp: { port: ${port} }`, "kinds: { verification: { subject: 'Confirm your email' } }"]),
      ),
    );
    try {
      const run = await target.prepareRun({ runId: 'r', idp: 'okta' });
      // A wrong SP: asked to verify, it sends a welcome mail instead.
      const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false });
      await t.sendMail({
        from: 'sp@x.example',
        to: 'b@x.example',
        subject: 'Welcome aboard',
        text: `${SP_ORIGIN}/go`,
      });
      t.close();
      const ctx = { target: run, observed: {} } as unknown as RunContext;
      expect(
        await verdict(() => CHECKS.mails(ctx, { to: 'b@x.example', count: 1, kind: 'verification' })),
      ).to.equal('ERR_CHECK_MAIL');
      expect(
        await verdict(() => CHECKS.mails(ctx, { to: 'b@x.example', count: 1, kind: 'invitation' })),
      ).to.match(/^not-applicable: .*mails\.kinds\.invitation/);
      expect(await verdict(() => CHECKS.mails(ctx, { to: 'b@x.example', count: 1 }))).to.equal('passed');
    } finally {
      await target.close();
    }
  });
});

describe('scenario schema: picking mail', () => {
  const problems = (openMail: string) => {
    const text = `case: multiws.x\ntitle: t\nrequirements: ['seed:000 x']\nsteps:\n  - openMail: ${openMail}\n`;
    try {
      loadScenarioText(text, 'mem.yaml');
    } catch (e) {
      expect((e as InputError).code).to.equal('ERR_SCENARIO_INVALID');
      return (e as InputError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
  };

  it('takes a kind from the vocabulary, and a workspace only with a kind', () => {
    expect(problems('{ to: a@x.example, kind: verification, workspace: hr }')).to.deep.equal([]);
    expect(problems('{ to: a@x.example, subject: Welcome }')).to.deep.equal([]);
    expect(problems('{ to: a@x.example, kind: welcome }')).to.have.length(1);
    expect(problems('{ to: a@x.example, kind: welcome }')[0]).to.match(/^steps\[0\]\.openMail\.kind: /);
    expect(problems('{ to: a@x.example, workspace: hr }')).to.have.length.greaterThan(0);
  });
});
