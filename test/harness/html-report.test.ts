import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../harness/src/drivers/browser-driver.js';
import type { Report } from '../../harness/src/model.js';
import { renderHtml } from '../../harness/src/reporters/html.js';
import { prettyXml } from '../../harness/src/reporters/pretty-xml.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { ROOT } from '../helpers/world.js';

describe('harness: HTML report', function () {
  this.timeout(120_000);
  let browser: Browser;
  let report: Report;
  const dir = mkdtempSync(join(tmpdir(), 'harness-html-'));

  before(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
    const runs = plan(loadScenarios([join(ROOT, 'scenarios/jit/new-user.yaml')]), {
      idps: ['okta', 'onelogin', 'entra', 'google'],
      driver: 'http',
    });
    report = await runSuite(runs, { driver: 'http', workers: 2, reportsDir: dir, reporters: [] });
    // A browser screenshot, taken by the same Chromium, stands in one step's evidence.
    const page = await browser.newPage();
    await page.setContent('<h1 style="color:#2e9d5b">Signed in as maria.garcia@acme.example</h1>');
    const shot = join(dir, 'shot.png');
    await page.screenshot({ path: shot });
    await page.close();
    const step = report.results[0]!.steps.find((s) => s.evidence.saml)!;
    step.evidence.screenshot = shot;
    step.evidence.scim = [
      {
        at: '2026-01-01T00:00:00.000Z',
        method: 'POST',
        url: 'http://sp/scim/v2/Users',
        requestBody: { userName: 'a@acme.example' },
        status: 201,
        responseBody: { id: 'u1', userName: 'a@acme.example' },
      },
    ];
    step.evidence.mail = [
      {
        id: 1,
        receivedAt: '2026-01-01T00:00:00.000Z',
        from: 'sp@acme.example',
        to: ['a@acme.example'],
        subject: 'Verify your email',
        text: 'Open the link',
        links: ['http://sp/verify/abc'],
      },
    ];
  });
  after(async () => browser?.close());

  it('pretty-prints a copy of the SAML and leaves the evidence as it crossed the wire', () => {
    const step = report.results[0]!.steps.find((s) => s.evidence.saml)!;
    const wire = step.evidence.saml!;
    const before = wire.slice();
    const pretty = prettyXml(wire);
    expect(pretty.split('\n').length).to.be.greaterThan(wire.split('\n').length + 20);
    expect(pretty).to.match(/\n {2,}<saml2:Assertion/);
    renderHtml(report);
    expect(step.evidence.saml).to.equal(before);
  });

  it('opens offline in headless Chromium with the matrix, and a cell shows its timeline and SAML', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);

    const cells = page.locator('tr[data-case="jit.new-user"] td.cell');
    expect(await cells.count()).to.equal(4);
    expect(await page.locator('table.matrix thead th.idp').allInnerTexts()).to.deep.equal([
      'okta',
      'onelogin',
      'entra',
      'google',
    ]);
    for (const i of [0, 1, 2, 3]) expect(await cells.nth(i).getAttribute('class')).to.include('st-passed');
    const detail = page.locator('section.detail').first();
    expect(await detail.isVisible()).to.equal(false);

    await page.locator('tr[data-case="jit.new-user"] td.cell[data-idp="okta"] a').click();
    expect(await detail.isVisible()).to.equal(true);
    const saml = detail.locator('details.saml pre.xml').first();
    expect(await saml.isVisible()).to.equal(true);
    const text = await saml.innerText();
    expect(text).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<saml2p:Response/);
    expect(text).to.match(/\n {4}<saml2:Subject[ >]/);
    expect(await detail.locator('.timeline > li.step').count()).to.equal(report.results[0]!.steps.length);
    expect(await detail.innerText()).to.include('POST http://sp/scim/v2/Users');
    expect(await detail.innerText()).to.include('Verify your email');
    const img = detail.locator('img.shot');
    expect(await img.getAttribute('src')).to.match(/^data:image\/png;base64,/);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).to.be.greaterThan(0);
    expect(outside, 'requests that left the file').to.deep.equal([]);

    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    const shot = join(ROOT, 'reports', 'html-report.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(existsSync(shot) && statSync(shot).size).to.be.greaterThan(10_000);
    await page.close();
  });

  it('marks failures, errors and not-applicable cells in their colours', () => {
    const r0 = report.results[0]!;
    const mixed: Report = {
      ...report,
      results: [
        { ...r0, idp: 'okta', status: 'failed', message: 'member roles are {"DEV":"Operator"}' },
        { ...r0, idp: 'onelogin', status: 'error', message: 'ERR_TARGET_UNREACHABLE: …' },
        { ...r0, idp: 'google', status: 'not-applicable', message: 'Google sends no SCIM to custom apps' },
      ],
    };
    const html = renderHtml(mixed);
    expect(html).to.include('class="cell st-failed" data-idp="okta"');
    expect(html).to.include('class="cell st-error" data-idp="onelogin"');
    expect(html).to.include('class="cell st-not-applicable" data-idp="google"');
    expect(html).not.to.include('data-idp="entra"');
    expect(html).to.include('Google sends no SCIM to custom apps');
  });
});
