import { expect } from 'chai';
import { admin } from '../helpers/world.js';
import { Browser, errorCode, startSpWorld, type SpWorld } from './sp-world.js';

const MARIA = 'maria.garcia@acme.example';

/** Seed 000 "JIT provisioning for users with access to multiple workspaces", over real SMTP. */
describe('sp-under-test: joining a second workspace needs email verification', () => {
  let world: SpWorld;
  let browser: Browser;
  beforeEach(async () => {
    world = await startSpWorld([{ slug: 'finance' }, { slug: 'hr' }, { slug: 'legal' }]);
    browser = new Browser(world.sp.url);
    const first = await browser.sso(world, 'finance', MARIA);
    expect(first.status).to.equal(303);
  });
  afterEach(() => world.close());

  const members = async (slug: string) =>
    (await admin<{ email: string }[]>(world.sp, 'GET', `/workspaces/${slug}/members`)).body.map(
      (m) => m.email,
    );
  const mailTo = async (subject: string) => {
    const m = await world.mail.newest(MARIA, (x) => x.subject.includes(subject), 3000);
    expect(m, `a mail "${subject}"`).to.not.equal(undefined);
    const link = m!.links.find((l) => l.startsWith(world.sp.url) && l.includes('/verify/'))!;
    const code = /\b(\d{6})\b/.exec(m!.text)![1]!;
    return { mail: m!, link, code };
  };

  it('asks an existing account to verify instead of creating it again, and mails a link and a code over SMTP', async () => {
    const res = await browser.sso(world, 'hr', MARIA);
    expect(res.status).to.equal(303);
    expect(res.location).to.equal('/w/hr/verify');
    expect(res.setCookies.join('\n')).to.match(
      /sp_verify=[^;]+; Path=\/w\/hr\/verify; HttpOnly; SameSite=Lax/,
    );
    expect(res.setCookies.join('\n')).to.not.match(/sp_session=/);
    expect(await members('hr')).to.deep.equal([]);
    const page = await browser.request('GET', '/w/hr/verify');
    expect(page.text).to.include('data-testid="verification-sent"');
    const { mail, link, code } = await mailTo('join HR');
    expect(mail.to).to.deep.equal([MARIA]);
    expect(link).to.match(/\/w\/hr\/verify\/[A-Za-z0-9_-]{40,}$/);
    expect(code).to.match(/^\d{6}$/);
    // What the mail is for and its workspace, for tools (the harness's embedded recogniser).
    expect(mail.headers).to.include({
      'x-sp-under-test-mail-kind': 'workspace-verification',
      'x-sp-under-test-workspace': 'hr',
    });
    const outbox = await admin<{ status: string; kind: string }[]>(world.sp, 'GET', '/workspaces/hr/mail');
    expect(outbox.body.map((o) => [o.kind, o.status])).to.deep.equal([['workspace-verification', 'sent']]);
    expect(outbox.body[0]).to.not.have.property('text');
  });

  it('the link joins the workspace once, signs the same browser in, and is refused the second time', async () => {
    await browser.sso(world, 'hr', MARIA);
    const { link } = await mailTo('join HR');
    const first = await browser.request('GET', link);
    expect(first.status).to.equal(303);
    expect(first.location).to.equal('/w/hr');
    const home = await browser.request('GET', '/w/hr');
    expect(home.text).to.include(`Signed in as <strong>${MARIA}</strong>`);
    expect(await members('hr')).to.deep.equal([MARIA]);
    const audit = await admin<{ action: string; source: string; details: { how?: string } }[]>(
      world.sp,
      'GET',
      '/workspaces/hr/audit',
    );
    expect(audit.body.find((e) => e.action === 'member.created')).to.include({ source: 'jit' });
    expect(audit.body.find((e) => e.action === 'member.created')!.details.how).to.equal('email-verified');

    const again = await browser.request('GET', link);
    expect(again.status).to.equal(410);
    expect(errorCode(again.text)).to.equal('ERR_VERIFICATION_USED');
    const users = await admin<unknown[]>(world.sp, 'GET', '/workspaces/hr/members');
    expect(users.body).to.have.length(1);
  });

  it('a link opened in another browser joins the workspace but opens no session there', async () => {
    await browser.sso(world, 'hr', MARIA);
    const { link } = await mailTo('join HR');
    const other = new Browser(world.sp.url);
    const res = await other.request('GET', link);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('data-testid="verified"');
    expect(other.cookies.has('sp_session')).to.equal(false);
    expect(await members('hr')).to.deep.equal([MARIA]);
    const sessions = await admin<unknown[]>(world.sp, 'GET', '/workspaces/hr/sessions');
    expect(sessions.body).to.deep.equal([]);
  });

  it('an expired link (frozen clock moved past its lifetime) is refused and joins no one', async () => {
    await admin(world.sp, 'POST', '/clock', { freezeAt: new Date().toISOString() });
    await browser.sso(world, 'legal', MARIA);
    const { link } = await mailTo('join LEGAL');
    await admin(world.sp, 'POST', '/clock', { advanceMs: 30 * 60 * 1000 });
    const res = await browser.request('GET', link);
    expect(res.status).to.equal(410);
    expect(errorCode(res.text)).to.equal('ERR_VERIFICATION_EXPIRED');
    expect(await members('legal')).to.deep.equal([]);
  });

  it('a link one second before expiry still works', async () => {
    await admin(world.sp, 'POST', '/clock', { freezeAt: new Date().toISOString() });
    await browser.sso(world, 'legal', MARIA);
    const { link } = await mailTo('join LEGAL');
    await admin(world.sp, 'POST', '/clock', { advanceMs: 30 * 60 * 1000 - 1000 });
    expect((await browser.request('GET', link)).status).to.equal(303);
    expect(await members('legal')).to.deep.equal([MARIA]);
  });

  it('the code joins from the browser that signed in; wrong codes are counted and burn the verification', async () => {
    await browser.sso(world, 'hr', MARIA);
    const { code, link } = await mailTo('join HR');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const res = await browser.request('POST', '/w/hr/verify', { code: wrong });
      expect(errorCode(res.text), `attempt ${i}`).to.equal('ERR_VERIFICATION_CODE');
    }
    const fifth = await browser.request('POST', '/w/hr/verify', { code: wrong });
    expect(errorCode(fifth.text)).to.equal('ERR_VERIFICATION_ATTEMPTS');
    expect(errorCode((await browser.request('POST', '/w/hr/verify', { code })).text)).to.equal(
      'ERR_VERIFICATION_USED',
    );
    expect(errorCode((await browser.request('GET', link)).text)).to.equal('ERR_VERIFICATION_USED');
    expect(await members('hr')).to.deep.equal([]);

    // Signing in again starts a fresh verification whose code works.
    await browser.sso(world, 'hr', MARIA);
    const fresh = await mailTo('join HR');
    expect(fresh.link).to.not.equal(link);
    const ok = await browser.request('POST', '/w/hr/verify', { code: fresh.code });
    expect(ok.status).to.equal(303);
    expect(await members('hr')).to.deep.equal([MARIA]);
  });

  it('a code is not accepted from a browser that did not sign in', async () => {
    await browser.sso(world, 'hr', MARIA);
    const { code } = await mailTo('join HR');
    const res = await new Browser(world.sp.url).request('POST', '/w/hr/verify', { code });
    expect(errorCode(res.text)).to.equal('ERR_VERIFICATION_INVALID');
    expect(await members('hr')).to.deep.equal([]);
  });

  it('a newer verification supersedes the older link', async () => {
    await browser.sso(world, 'hr', MARIA);
    const older = await mailTo('join HR');
    await browser.sso(world, 'hr', MARIA);
    const newer = await world.mail.newest(MARIA, (m) => m.id !== older.mail.id, 3000);
    expect(newer).to.not.equal(undefined);
    expect(errorCode((await browser.request('GET', older.link)).text)).to.equal('ERR_VERIFICATION_USED');
  });

  it('after joining, the switcher moves the session between workspaces of the organisation', async () => {
    await browser.sso(world, 'hr', MARIA);
    await browser.request('GET', (await mailTo('join HR')).link);
    const switcher = await browser.request('GET', '/switch');
    expect(switcher.text).to.include('href="/switch/finance"');
    const to = await browser.request('GET', '/switch/finance');
    expect(to.status).to.equal(303);
    expect(to.location).to.equal('/w/finance');
    expect((await browser.request('GET', '/w/finance')).text).to.include('Signed in as');
    const hrSessions = await admin<unknown[]>(world.sp, 'GET', '/workspaces/hr/sessions');
    expect(hrSessions.body).to.deep.equal([]);
    const refused = await browser.request('GET', '/switch/legal');
    expect(refused.status).to.equal(403);
    expect(errorCode(refused.text)).to.equal('ERR_NOT_A_MEMBER');
  });
});

describe('sp-under-test: verification mail that cannot be sent', () => {
  it('shows ERR_MAIL_FAILED, records the failure in the outbox and joins no one', async () => {
    // Port 1 on loopback refuses connections: the SMTP delivery fails at once.
    const world = await startSpWorld([{ slug: 'finance' }, { slug: 'hr' }], {
      smtp: { host: '127.0.0.1', port: 1 },
    });
    try {
      const browser = new Browser(world.sp.url);
      await browser.sso(world, 'finance', MARIA);
      const res = await browser.sso(world, 'hr', MARIA);
      expect(res.status).to.equal(502);
      expect(errorCode(res.text)).to.equal('ERR_MAIL_FAILED');
      const outbox = await admin<{ messages: { status: string; error: string }[] }>(world.sp, 'GET', '/mail');
      expect(outbox.body.messages.map((m) => m.status)).to.deep.equal(['failed']);
      expect(outbox.body.messages[0]!.error).to.be.a('string').and.not.equal('');
      const hr = await admin<unknown[]>(world.sp, 'GET', '/workspaces/hr/members');
      expect(hr.body).to.deep.equal([]);
    } finally {
      await world.close();
    }
  });
});
