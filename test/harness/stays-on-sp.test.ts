import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserDriverFactory } from '../../harness/src/drivers/browser-driver.js';
import { HttpDriver } from '../../harness/src/drivers/http-driver.js';
import type { RunTarget } from '../../harness/src/env/target.js';
import { HarnessError } from '../../harness/src/errors.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { freePort } from '../helpers/ledgerly.js';
import { pageVerdict } from '../helpers/page-verdict.js';
import { ROOT } from '../helpers/world.js';

/** Serves fixed answers: [status, location or body]. */
async function serve(routes: Record<string, [number, string]>): Promise<{ url: string; server: Server }> {
  const server = http.createServer((req, res) => {
    const [status, what] = routes[req.url ?? ''] ?? [404, 'not found'];
    if (status >= 300 && status < 400) res.writeHead(status, { location: what }).end();
    else res.writeHead(status, { 'content-type': 'text/html' }).end(what);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('page: staysOnSp — the person is not sent off the SP (open redirect through RelayState)', () => {
  let sp: { url: string; server: Server };
  let idp: { url: string; server: Server };
  let offSite: string;
  before(async () => {
    // Another site, which does not answer here (as https://evil.example does not).
    offSite = `http://127.0.0.1:${await freePort()}/phish`;
    sp = await serve({
      '/acs-follows-relaystate': [302, offSite],
      '/acs-refuses': [400, '<h1>Refusing to redirect to another site</h1>'],
      '/acs-home': [302, '/home'],
      '/home': [200, '<p>Signed in as maria.garcia@acme.example</p>'],
    });
    idp = await serve({
      '/sso-follows': [302, `${sp.url}/acs-follows-relaystate`],
      '/sso-refuses': [302, `${sp.url}/acs-refuses`],
      '/sso-home': [302, `${sp.url}/acs-home`],
    });
  });
  after(() => {
    sp.server.close();
    idp.server.close();
  });

  const verdictAfter = async (start: string, baseUrl = sp.url) => {
    const driver = new HttpDriver(5000);
    await driver.goto(start);
    return pageVerdict({ baseUrl } as RunTarget, driver, { staysOnSp: true });
  };

  it('fails an SP that redirects to the RelayState URL as given, though that site does not answer', async () => {
    expect(await verdictAfter(`${idp.url}/sso-follows`)).to.equal('ERR_CHECK_PAGE_OFF_SITE');
  });

  it('the HTTP driver ends on the unreachable off-site URL, an empty page, rather than erring', async () => {
    const driver = new HttpDriver(5000);
    const page = await driver.goto(`${idp.url}/sso-follows`);
    expect(page.url).to.equal(offSite);
    expect(page.status).to.equal(0);
    expect(page.unreached).to.be.a('string');
  });

  it('the browser driver too: fails the SP that redirects off-site, passes the one that refuses', async () => {
    const factory = new BrowserDriverFactory();
    try {
      const verdicts: string[] = [];
      for (const start of ['/sso-follows', '/sso-refuses']) {
        const driver = await factory.create(15_000);
        try {
          await driver.goto(`${idp.url}${start}`);
          verdicts.push(await pageVerdict({ baseUrl: sp.url } as RunTarget, driver, { staysOnSp: true }));
        } finally {
          await driver.close();
        }
      }
      expect(verdicts).to.deep.equal(['ERR_CHECK_PAGE_OFF_SITE', 'passed']);
    } finally {
      await factory.close();
    }
  });

  it('passes an SP that refuses on its own error page', async () => {
    expect(await verdictAfter(`${idp.url}/sso-refuses`)).to.equal('passed');
  });

  it('passes an SP that lands the person on its home instead', async () => {
    expect(await verdictAfter(`${idp.url}/sso-home`)).to.equal('passed');
  });

  it('keeps the target itself not answering an error, not a verdict', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const gone = await serve({ '/sso': [302, `${down}/acs`] });
    try {
      const err = await verdictAfter(`${gone.url}/sso`, down).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(HarnessError);
      expect((err as HarnessError).code).to.equal('ERR_TARGET_UNREACHABLE');
    } finally {
      gone.server.close();
    }
  });

  it('keeps the first site not answering an error', async () => {
    const driver = new HttpDriver(5000);
    const err = await driver.goto(`http://127.0.0.1:${await freePort()}/first`).catch((e: unknown) => e);
    expect((err as HarnessError).code).to.equal('ERR_TARGET_UNREACHABLE');
  });

  it('passes the reference SP, which lands the person on its home (jit.relaystate-deep-link)', async () => {
    const runs = plan(loadScenarios([join(ROOT, 'scenarios/jit/relaystate-deep-link.yaml')]), {
      idps: ['okta'],
      driver: 'http',
    });
    const report = await runSuite(runs, {
      driver: 'http',
      workers: 1,
      stepTimeoutMs: 30_000,
      reportsDir: mkdtempSync(join(tmpdir(), 'harness-run-')),
      reporters: [],
    });
    const steps = report.results[0]!.steps;
    expect(report.results[0]!.status, JSON.stringify(steps.map((s) => s.message))).to.equal('passed');
    expect(new Set(steps.map((s) => s.status))).to.deep.equal(new Set(['passed']));
  });
});
