import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../harness/src/drivers/browser-driver.js';
import { startServe, type RunningServe } from '../../harness/src/serve/serve.js';
import { openConsole } from './console-page.js';
import { beginCase, endCase, shot, writeConsoleReport } from './console-report.js';

const MARIA = 'maria.garcia@acme.example';

describe("consoles: Okta's Convert Assignments, clicked through in Chromium (seed 002)", function () {
  this.timeout(120_000);
  let serve: RunningServe;
  let browser: Browser;
  before(async () => {
    serve = await startServe();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
  });
  afterEach(function () {
    endCase(this.currentTest?.state, this.currentTest?.err);
  });
  after(async () => {
    await browser?.close();
    await serve?.close();
    writeConsoleReport();
  });

  it('okta: a group assignment leaves her individual role; Convert Assignments, Convert selected, and the SP shows the group role live', async () => {
    beginCase('consoles.okta-convert-assignments', 'okta', 'Convert Assignments from user to group');
    const context = await browser.newContext();
    try {
      const admin = await context.newPage();
      await admin.goto(`${serve.url}/sp/okta`);
      await admin.waitForSelector('body[data-live="on"]');
      const okta = await openConsole(context, serve, 'okta');
      await okta.click(`button[data-op="provision-user"][data-user="${MARIA}"]`);
      await okta.waitForSelector('.flash.ok');
      await admin.waitForSelector(`tr[data-member="${MARIA}"]`);
      expect(await admin.textContent(`tr[data-member="${MARIA}"]`)).to.include('mktg_ops');

      const marketing = okta.locator('tr[data-group="Marketing"]');
      await marketing.locator('input[name="role.workato_role"]').fill('Admin');
      await marketing.locator('button[data-op="assign-group"]').click();
      await okta.waitForSelector('[data-flash="Assign group"].ok');
      expect(await okta.textContent('tr[data-group="Marketing"]')).to.match(/Marketing\s*1\s*1/);
      expect(await admin.textContent(`tr[data-member="${MARIA}"]`)).to.include('mktg_ops');

      await okta.click('summary[data-op="open-convert-assignments"]');
      await okta.check(`#convert-assignments input[name="select"][value="${MARIA}"]`);
      await shot(okta, 'Assignments › Convert Assignments: Select assignments to convert');
      await okta.click('button[data-op="convert-assignments"]');
      await okta.waitForSelector('[data-flash="Convert Assignments"]');
      expect(await okta.textContent('[data-flash="Convert Assignments"]')).to.include(
        'Successfully converted 1 assignment',
      );
      expect(await okta.textContent(`tr[data-user="${MARIA}"] td[data-scope]`)).to.equal('Group');
      await shot(
        okta,
        'the Okta console after Convert selected: Group, with the successful conversion message',
      );
      await admin.waitForFunction(
        (email) => document.querySelector(`tr[data-member="${email}"]`)?.textContent?.includes('Admin'),
        MARIA,
      );
      await shot(admin, "the SP's admin view shows the group's role");
    } finally {
      await context.close();
    }
  });
});
