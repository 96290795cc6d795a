import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { ROOT } from '../helpers/world.js';
import { BrowserClient } from '../mock-idp/browser-client.js';

/** `idp-harness serve` as a person starts it; resolves once it has printed its URLs. */
async function startServeProcess(): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/idp-harness.js'), 'serve'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Press Ctrl-C to stop.')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`serve exited (${code}): ${out}`));
    });
  });
  return { child, out: () => out };
}

const field = (out: string, label: string) => new RegExp(`^${label}\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '';

describe('harness: idp-harness serve', function () {
  this.timeout(60_000);
  let serve: { child: ChildProcess; out: () => string };
  before(async () => {
    serve = await startServeProcess();
  });
  after(() => {
    if (serve?.child.exitCode === null) serve.child.kill('SIGKILL');
  });

  it('prints its URLs, and the start page links the IdP sign-in, the SP admin view, the mailbox and the SCIM log', async () => {
    const start = field(serve.out(), 'start page');
    expect(start).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(start)).text();
    const links = [...html.matchAll(/data-link="([a-z-]+)" href="([^"]+)"/g)].map(
      (m) => [m[1]!, m[2]!] as const,
    );
    const of = (kind: string) =>
      links.filter(([k]) => k === kind).map(([, href]) => new URL(href, start).href);
    expect(of('idp-login')).to.have.length(4);
    expect(of('sp-admin')).to.have.length(4);
    expect(of('mailbox')).to.have.length(1);
    expect(of('scim-log')).to.have.length(1);

    const login = await fetch(of('idp-login')[0]!);
    expect(login.status).to.equal(200);
    expect(await login.text()).to.match(/name="?password/);
    const admin = await fetch(of('sp-admin')[0]!);
    expect(admin.status).to.equal(200);
    expect(await admin.text()).to.include('<h2>Members (0)</h2>');
  });

  it('signs out of both sides with a real Single Logout: the SP asks the IdP, which ends its own session too', async () => {
    const sp = field(serve.out(), 'reference SP');
    const idp = field(serve.out(), 'mock IdP');
    const okta = /^okta\s+sign in (\S+)\/init/m.exec(serve.out())![1]!;
    const tenant = okta.slice(idp.length + 1);
    const browser = new BrowserClient({ login: 'maria.garcia@acme.example', password: 'Okta-Test-1!' });
    const signedIn = await browser.open(`${sp}/saml/okta/login`);
    expect(signedIn.url).to.match(/\/w\/okta/);
    expect(browser.cookie(idp, `idp_session_${tenant.replace(/-/g, '_')}`)).to.be.a('string');
    const out = await browser.open(`${sp}/saml/okta/logout`);
    expect(out.url).to.equal(`${sp}/w/okta/signed-out`);
    expect(browser.hops.some((h) => h.url.startsWith(`${idp}/${tenant}/slo?`))).to.equal(true);
    // The IdP session went with it: the browser's IdP cookie no longer signs anyone in.
    const idpCookie = `idp_session_${tenant.replace(/-/g, '_')}`;
    const again = await fetch(`${idp}/${tenant}/init`, {
      headers: { cookie: `${idpCookie}=${browser.cookie(idp, idpCookie)}` },
    });
    const page = await again.text();
    expect(page).to.include('name="pending"').and.not.include('SAMLResponse');
  });

  it('catches real SMTP mail and shows it in the mailbox', async () => {
    const [host, port] = field(serve.out(), 'mail catcher').replace('smtp://', '').split(':');
    await nodemailer.createTransport({ host, port: Number(port), secure: false, ignoreTLS: true }).sendMail({
      from: 'sp@acme.example',
      to: 'maria.garcia@acme.example',
      subject: 'Verify your email',
      text: 'http://sp/verify/abc',
    });
    const page = await (await fetch(new URL('/mail', field(serve.out(), 'start page')))).text();
    expect(page).to.include('Verify your email');
    expect(page).to.include('href="http://sp/verify/abc"');
  });

  it('logs the SCIM traffic an IdP tenant sends to the SP', async () => {
    const idp = field(serve.out(), 'mock IdP');
    const token = /mock IdP\s+\S+\s+\(admin token (\S+)\)/.exec(serve.out())![1]!;
    const res = await fetch(`${idp}/api/admin/tenants/acme-okta/scim/test-connection`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).to.equal(200);
    const log = (await (await fetch(new URL('/scim-log.json', field(serve.out(), 'start page')))).json()) as {
      method: string;
      url: string;
      status: number;
    }[];
    expect(log.length).to.be.greaterThan(0);
    expect(log[0]).to.include({ method: 'GET', status: 200 });
    expect(log[0]!.url).to.match(/^\/scim\/v2\/Users/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => serve.child.once('exit', (code) => r(code)));
    serve.child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(serve.out()).to.match(/stopped\n$/);
  });
});
