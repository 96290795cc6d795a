import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpDriver } from '../../harness/src/drivers/http-driver.js';
import { ExternalTarget, loadTargetFile } from '../../harness/src/env/external-target.js';
import { referenceSignedIn } from '../../harness/src/env/reference-markup.js';
import type { RunTarget } from '../../harness/src/env/target.js';
import type { InputError } from '../../harness/src/errors.js';
import { pageVerdict } from '../helpers/page-verdict.js';

/**
 * A tiny SP whose pages say who is signed in: /login?as=<email> sets the session cookie, /home shows
 * "Signed in as <email>", /whoami answers with the email as JSON (or 401), /whoami.txt as plain text.
 * /lying-whoami always answers with someone else.
 */
async function tinySp(): Promise<{ url: string; server: Server }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const who = /(?:^|;\s*)who=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const email = who ? decodeURIComponent(who) : undefined;
    const answer = (status: number, headers: Record<string, string>, body = '') => {
      res.writeHead(status, headers);
      res.end(body);
    };
    const routes: Record<string, () => void> = {
      '/login': () =>
        answer(302, {
          location: '/home',
          'set-cookie': `who=${encodeURIComponent(url.searchParams.get('as')!)}; Path=/`,
        }),
      '/home': () =>
        answer(
          200,
          { 'content-type': 'text/html' },
          `<p>${email ? `Signed in as ${email} (member)` : 'Welcome, please sign in'}</p>`,
        ),
      '/whoami': () =>
        email
          ? answer(200, { 'content-type': 'application/json' }, JSON.stringify({ user: { email } }))
          : answer(401, {}),
      '/whoami.txt': () => answer(200, { 'content-type': 'text/plain' }, email ?? ''),
      '/lying-whoami': () =>
        answer(
          200,
          { 'content-type': 'application/json' },
          JSON.stringify({ email: 'mallory.admin@acme.example' }),
        ),
    };
    (routes[url.pathname] ?? (() => answer(404, {})))();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const dir = mkdtempSync(join(tmpdir(), 'signed-in-'));
let n = 0;
function targetFile(signedIn: Record<string, string>, base: string): string {
  const file = join(dir, `t${n++}.yaml`);
  writeFileSync(
    file,
    [
      'name: tiny',
      `sp: { loginUrl: "${base}/home", acsUrl: "${base}/acs", entityId: urn:tiny }`,
      `signedIn: ${JSON.stringify(signedIn)}`,
      'idp: { port: 7999 }',
      '',
    ].join('\n'),
  );
  return file;
}

async function runTargetFor(signedIn: Record<string, string>, base: string): Promise<RunTarget> {
  return new ExternalTarget(loadTargetFile(targetFile(signedIn, base))).prepareRun({
    runId: 'r',
    idp: 'okta',
  });
}

/** The verdict of `page: { signedInAs }` on the driver's current page. */
const signedInAsVerdict = (target: RunTarget, driver: HttpDriver, email: string) =>
  pageVerdict(target, driver, { signedInAs: email });

describe('harness: who is signed in (signedIn readers and page.signedInAs)', () => {
  let sp: { url: string; server: Server };
  let driver: HttpDriver;
  before(async () => {
    sp = await tinySp();
  });
  after(() => new Promise<void>((r) => sp.server.close(() => r())));
  beforeEach(() => {
    driver = new HttpDriver(5_000);
  });

  it('passes when the page shows the person, and fails when it shows someone else or nobody', async () => {
    const target = await runTargetFor({ text: 'Signed in as {email}' }, sp.url);
    await driver.goto(`${sp.url}/home`);
    expect(await signedInAsVerdict(target, driver, 'maria.garcia@acme.example')).to.equal(
      'ERR_CHECK_NOT_SIGNED_IN',
    );
    await driver.goto(`${sp.url}/login?as=mallory.admin@acme.example`);
    expect(await signedInAsVerdict(target, driver, 'maria.garcia@acme.example')).to.equal(
      'ERR_CHECK_NOT_SIGNED_IN',
    );
    await driver.goto(`${sp.url}/login?as=Maria.Garcia@acme.example`);
    expect(await signedInAsVerdict(target, driver, 'maria.garcia@acme.example')).to.equal('passed');
  });

  it('an email that only contains the expected one does not count (text and pattern)', async () => {
    const readers: Record<string, string>[] = [
      { text: 'Signed in as {email}' },
      { pattern: 'Signed in as {email}' },
      { pattern: 'as (\\S+) \\(' },
    ];
    for (const signedIn of readers) {
      const target = await runTargetFor(signedIn, sp.url);
      await driver.goto(`${sp.url}/login?as=maria.garcia@acme.example.attacker.example`);
      expect(
        await signedInAsVerdict(target, driver, 'maria.garcia@acme.example'),
        JSON.stringify(signedIn),
      ).to.equal('ERR_CHECK_NOT_SIGNED_IN');
      const reading = await target.signedIn(driver.current()!, driver);
      expect(reading).to.include({ kind: 'user', email: 'maria.garcia@acme.example.attacker.example' });
    }
  });

  it('whoami is asked with the session cookies (JSON with emailPath, and plain text), without leaving the page', async () => {
    const json = await runTargetFor({ whoami: `${sp.url}/whoami`, emailPath: '$.user.email' }, sp.url);
    const text = await runTargetFor({ whoami: `${sp.url}/whoami.txt` }, sp.url);
    await driver.goto(`${sp.url}/home`);
    expect(await json.signedIn(driver.current()!, driver)).to.include({ kind: 'none' });
    expect(await text.signedIn(driver.current()!, driver)).to.include({ kind: 'none' });
    await driver.goto(`${sp.url}/login?as=maria.garcia@acme.example`);
    const before = driver.current();
    expect(await signedInAsVerdict(json, driver, 'maria.garcia@acme.example')).to.equal('passed');
    expect(await signedInAsVerdict(text, driver, 'maria.garcia@acme.example')).to.equal('passed');
    expect(driver.current()).to.equal(before);
    expect(driver.drainTraffic().http.map((h) => h.url)).not.to.include(`${sp.url}/whoami`);
  });

  it('a whoami that answers with someone else fails signedInAs', async () => {
    const target = await runTargetFor({ whoami: `${sp.url}/lying-whoami` }, sp.url);
    await driver.goto(`${sp.url}/login?as=maria.garcia@acme.example`);
    expect(await signedInAsVerdict(target, driver, 'maria.garcia@acme.example')).to.equal(
      'ERR_CHECK_NOT_SIGNED_IN',
    );
  });

  it('urlPrefix is an extra condition: a page outside it shows nobody', async () => {
    const target = await runTargetFor({ text: 'Signed in as {email}', urlPrefix: `${sp.url}/app/` }, sp.url);
    await driver.goto(`${sp.url}/login?as=maria.garcia@acme.example`);
    expect(await target.signedIn(driver.current()!, driver)).to.include({ kind: 'none' });
  });

  it('a target that cannot tell who is signed in makes signedInAs not applicable, with the reason', async () => {
    const target = await runTargetFor({ text: 'Signed in as {email}' }, sp.url);
    const unknown: RunTarget = {
      ...target,
      signedIn: async () => ({ kind: 'unknown', reason: 'no marker' }),
    };
    await driver.goto(`${sp.url}/login?as=maria.garcia@acme.example`);
    expect(await signedInAsVerdict(unknown, driver, 'maria.garcia@acme.example')).to.match(
      /^not-applicable: .*no marker/,
    );
  });

  describe('a target file whose signedIn cannot name who is refused when loaded, with its key path', () => {
    const problemsOf = (signedIn: Record<string, string>): string[] => {
      try {
        loadTargetFile(targetFile(signedIn, 'http://sp.example'));
      } catch (e) {
        expect((e as InputError).code).to.equal('ERR_TARGET_FILE');
        return (e as InputError).problems.map((p) => p.path);
      }
      return [];
    };
    it('only urlPrefix, text without {email}, a pattern with no or two capture groups, emailPath without whoami', () => {
      expect(problemsOf({ urlPrefix: 'http://sp.example/' })).to.include('signedIn');
      expect(problemsOf({ text: 'Signed in' })).to.deep.equal(['signedIn.text']);
      expect(problemsOf({ pattern: 'Signed in as \\S+' })).to.deep.equal(['signedIn.pattern']);
      expect(problemsOf({ pattern: '(Signed) in as (\\S+)' })).to.deep.equal(['signedIn.pattern']);
      expect(problemsOf({ pattern: 'Signed in as (' })).to.deep.equal(['signedIn.pattern']);
      expect(problemsOf({ text: 'Hi {email}', emailPath: '$.email' })).to.deep.equal(['signedIn.emailPath']);
      expect(problemsOf({ text: 'Hi {email}', whoami: 'http://sp.example/me' })).to.deep.equal([
        'signedIn.whoami',
      ]);
      expect(problemsOf({ whoami: 'http://sp.example/me', emailPath: '$.a[' })).to.deep.equal([
        'signedIn.emailPath',
      ]);
      expect(problemsOf({ pattern: 'Signed in as {email}(\\s|$)' })).to.deep.equal([]);
      expect(problemsOf({ whoami: 'http://sp.example/me' })).to.deep.equal([]);
    });
  });
});

describe('harness: the embedded reference SP says who is signed in by its marker', () => {
  const read = (html: string, url = 'http://sp/w/acme') =>
    referenceSignedIn('http://sp')({ url, status: 200, html, text: '' }, {} as HttpDriver);
  it('reads the marked email whole, nobody without a marker, nobody off the SP', async () => {
    expect(await read('<p data-signed-in-email="maria@acme.example.attacker.example">x</p>')).to.include({
      kind: 'user',
      email: 'maria@acme.example.attacker.example',
    });
    expect(await read('<p>Signed in as maria@acme.example</p>')).to.include({ kind: 'none' });
    expect(await read('<p data-signed-in-email="a@x.example">', 'http://idp/login')).to.include({
      kind: 'none',
    });
    expect(
      await read('<p data-signed-in-email="a@x.example"><p data-signed-in-email="b@x.example">'),
    ).to.include({
      kind: 'unknown',
    });
  });
});
