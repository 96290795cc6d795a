import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../harness/src/drivers/browser-driver.js';
import { startServe, type RunningServe } from '../../harness/src/serve/serve.js';

/** Where the console screenshots go when IDP_HARNESS_SCREENSHOTS names a folder. */
const SHOTS = process.env.IDP_HARNESS_SCREENSHOTS;

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

async function openConsole(context: BrowserContext, serve: RunningServe, vendor: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${serve.url}/`);
  await page.click(`button[data-link="console"][data-vendor="${vendor}"]`);
  await page.waitForSelector(`body[data-console="${vendor}"]`);
  return page;
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
  afterEach(async () => {
    await serve?.close();
  });
  before(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });

  for (const vendor of ['okta', 'onelogin', 'entra']) {
    it(`${vendor}: sign in as Maria, deactivate her in the console, her next click is locked out; the traffic log and the SP admin view update by themselves`, async () => {
      const context = await browser.newContext();
      try {
        const sp = await signInAtSp(context, serve, vendor);
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
        if (SHOTS)
          await idpConsole.screenshot({ path: join(SHOTS, `${vendor}-console.png`), fullPage: true });

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

        // Maria's next click at the SP is locked out.
        await sp.click('a[href*="/env/"]');
        await sp.waitForSelector('[data-locked-out]');
      } finally {
        await context.close();
      }
    });
  }

  it('google: the console says plainly it has no SCIM for custom SAML apps, and turning access off refuses the next sign-in', async () => {
    const context = await browser.newContext();
    try {
      const idpConsole = await openConsole(context, serve, 'google');
      expect(await idpConsole.textContent('[data-no-scim]')).to.include('no SCIM');
      await idpConsole.click(`button[data-op="access-off"][data-user="${MARIA}"]`);
      await idpConsole.waitForSelector('[data-flash]');
      if (SHOTS) await idpConsole.screenshot({ path: join(SHOTS, 'google-console.png'), fullPage: true });
      const sp = await context.newPage();
      await sp.goto(`${serve.sp.url}/w/google`);
      await sp.selectOption('#username', MARIA);
      await sp.fill('#password', PASSWORDS.google!);
      await sp.click('#sign-in');
      await sp.waitForSelector('[data-error-code]');
      expect(await sp.getAttribute('[data-error-code]', 'data-error-code')).to.match(/^ERR_/);
    } finally {
      await context.close();
    }
  });
});
