import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../harness/src/drivers/browser-driver.js';
import { startServe, type RunningServe } from '../../harness/src/serve/serve.js';
import { openConsole } from './console-page.js';
import { beginCase, endCase, shot, writeConsoleReport } from './console-report.js';

const MARIA = 'maria.garcia@acme.example';
const PASSWORDS: Record<string, string> = {
  okta: 'Okta-Test-1!',
  onelogin: 'OneLogin-Test-1!',
  entra: 'Entra-Test-1!',
  google: 'Google-Test-1!',
};

/**
 * The console's clicks that deactivate Maria, in each vendor's words: Okta provisions her (she
 * signed in by JIT, so Okta first matches her at the app) and deactivates her; OneLogin sets her
 * Inactive; Entra removes her assignment, which waits for the next cycle, then provisions on demand.
 */
const DEACTIVATE: Record<string, { clicks: string[]; method: string }> = {
  okta: { clicks: ['provision-user', 'deactivate'], method: 'PATCH' },
  onelogin: { clicks: ['deactivate'], method: 'PUT' },
  entra: { clicks: ['remove', 'provision-on-demand'], method: 'PATCH' },
};

const scimLogSize = async (serve: RunningServe) =>
  ((await (await fetch(`${serve.url}/scim-log.json`)).json()) as unknown[]).length;

/** Counts the documents a page loads, so that a test can show nothing was reloaded. */
function countLoads(page: Page): () => number {
  let n = 0;
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) n++;
  });
  return () => n;
}

async function signInAtSp(context: BrowserContext, serve: RunningServe, vendor: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${serve.sp.url}/w/${vendor}`);
  await page.selectOption('#username', MARIA);
  await page.fill('#password', PASSWORDS[vendor]!);
  await page.click('#sign-in');
  await page.waitForSelector('[data-testid="signed-in-as"]');
  expect(await page.textContent('[data-testid="signed-in-as"]')).to.include(MARIA);
  return page;
}

describe('consoles: deactivating Maria in each SCIM vendor console locks her out at the SP, live', function () {
  this.timeout(120_000);
  let serve: RunningServe;
  let browser: Browser;

  // A fresh serve for each test: at a second workspace, the reference SP rightly asks Maria to verify her email first.
  beforeEach(async () => {
    serve = await startServe();
  });
  afterEach(async function () {
    endCase(this.currentTest?.state, this.currentTest?.err);
    await serve?.close();
  });
  before(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
  });
  after(async () => {
    await browser?.close();
    writeConsoleReport();
  });

  for (const vendor of ['okta', 'onelogin', 'entra']) {
    it(`${vendor}: sign in as Maria, deactivate her in the console, her next click is locked out; the traffic log and the SP admin view update by themselves`, async () => {
      beginCase('consoles.deactivate-live', vendor, 'Deactivated in the console, locked out at the SP, live');
      const context = await browser.newContext();
      try {
        const sp = await signInAtSp(context, serve, vendor);
        await shot(sp, 'Maria signs in at the SP');
        const log = await context.newPage();
        await log.goto(`${serve.url}/scim-log`);
        const admin = await context.newPage();
        await admin.goto(`${serve.url}/sp/${vendor}`);
        await log.waitForSelector('body[data-live="on"]');
        await admin.waitForSelector('body[data-live="on"]');
        const logLoads = countLoads(log);
        const adminLoads = countLoads(admin);
        expect(await admin.textContent(`tr[data-member="${MARIA}"]`)).to.include('active');
        const seqBefore = await scimLogSize(serve);

        const idpConsole = await openConsole(context, serve, vendor);
        for (const op of DEACTIVATE[vendor]!.clicks) {
          await idpConsole.click(`button[data-op="${op}"][data-user="${MARIA}"]`);
          await idpConsole.waitForSelector('[data-flash]');
          expect(await idpConsole.getAttribute('[data-flash]', 'class')).to.include('ok');
        }
        await shot(idpConsole, `the ${vendor} console after ${DEACTIVATE[vendor]!.clicks.join(', then ')}`);

        // The traffic log shows the exchange that set active to false, without a reload.
        const method = DEACTIVATE[vendor]!.method;
        const row = log
          .locator('tr', { hasText: `${method} /scim/v2/Users/` })
          .filter({ hasText: '"active": false' });
        await row.first().waitFor();
        expect(await scimLogSize(serve)).to.be.greaterThan(seqBefore);
        // …and so does the SP's admin view.
        await admin.waitForFunction(
          (email) =>
            !document.querySelector(`tr[data-member="${email}"]`)?.textContent?.includes('active</td>'),
          MARIA,
        );
        expect(await admin.textContent(`tr[data-member="${MARIA}"]`)).not.to.match(/\bactive\b/);
        expect(logLoads()).to.equal(0);
        expect(adminLoads()).to.equal(0);
        await shot(log, `the SCIM traffic log shows the ${method} that set active to false`);
        await shot(admin, "the SP's admin view no longer shows her active");

        // Maria's next click at the SP is locked out.
        await sp.click('a[href*="/env/"]');
        await sp.waitForSelector('[data-locked-out]');
        await shot(sp, 'her next click at the SP is locked out');
      } finally {
        await context.close();
      }
    });
  }

  it('google: the console says plainly it has no SCIM for custom SAML apps, and turning access off refuses the next sign-in', async () => {
    beginCase('consoles.deactivate-live', 'google', 'Deactivated in the console, locked out at the SP, live');
    const context = await browser.newContext();
    try {
      const idpConsole = await openConsole(context, serve, 'google');
      expect(await idpConsole.textContent('[data-no-scim]')).to.include('no SCIM');
      await idpConsole.click(`button[data-op="access-off"][data-user="${MARIA}"]`);
      await idpConsole.waitForSelector('[data-flash]');
      await shot(idpConsole, 'the Google Admin console: user access off, and no SCIM for custom SAML apps');
      const sp = await context.newPage();
      await sp.goto(`${serve.sp.url}/w/google`);
      await sp.selectOption('#username', MARIA);
      await sp.fill('#password', PASSWORDS.google!);
      await sp.click('#sign-in');
      await sp.waitForSelector('[data-error-code]');
      expect(await sp.getAttribute('[data-error-code]', 'data-error-code')).to.match(/^ERR_/);
      await shot(sp, 'her next sign-in is refused');
    } finally {
      await context.close();
    }
  });

  it('the HTML report of this run holds a screenshot of each console, without any setting', () => {
    const html = readFileSync(writeConsoleReport(), 'utf8');
    for (const vendor of ['okta', 'onelogin', 'entra', 'google']) {
      const detail = html.slice(html.indexOf(`the ${vendor === 'google' ? 'Google Admin' : vendor} console`));
      expect(detail, vendor).to.match(
        /^[^<]*<\/[^>]+>[\s\S]{0,400}<img class="shot"[^>]*src="data:image\/png;base64,/,
      );
    }
  });
});
