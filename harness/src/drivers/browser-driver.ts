import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { HarnessError } from '../errors.js';
import type { CapturedTraffic, Driver, DriverFactory, PageState } from './driver.js';
import { captureSaml } from './saml-capture.js';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumPath(): string {
  const candidates = [
    process.env.IDP_HARNESS_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new HarnessError(
      'ERR_BROWSER_UNAVAILABLE',
      'no Chromium found (looked at IDP_HARNESS_CHROMIUM, /usr/bin/chromium); run `npm install` as root to install Debian chromium, or set IDP_HARNESS_CHROMIUM',
    );
  }
  return found;
}

/** A real Chromium, driven through playwright-core; one browser, a fresh context per run. */
export class BrowserDriver implements Driver {
  readonly id = 'browser' as const;
  private traffic: CapturedTraffic = { http: [], samlResponses: [], samlRequests: [] };
  private last: PageState | undefined;
  private lastStatus = 0;
  /** The last navigation the browser could not complete (connection refused, reset …). */
  private lastFailed: string | undefined;

  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly timeoutMs: number,
  ) {
    page.setDefaultTimeout(timeoutMs);
    page.on('request', (req) => {
      const body =
        req.method() === 'POST' && req.postData() ? new URLSearchParams(req.postData() ?? '') : undefined;
      if (req.isNavigationRequest()) captureSaml(req.url(), body, this.traffic);
    });
    page.on('requestfailed', (req) => {
      if (req.isNavigationRequest())
        this.lastFailed = `${req.method()} ${req.url()} failed (${req.failure()?.errorText ?? 'network error'})`;
    });
    page.on('response', (res) => {
      const req = res.request();
      if (!req.isNavigationRequest()) return;
      if (req.frame() === page.mainFrame()) this.lastStatus = res.status();
      const location = res.headers().location;
      this.traffic.http.push({
        method: req.method(),
        url: req.url(),
        status: res.status(),
        ...(location ? { location } : {}),
      });
    });
  }

  static async open(browser: Browser, timeoutMs: number): Promise<BrowserDriver> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    return new BrowserDriver(context, await context.newPage(), timeoutMs);
  }

  /** Waits until the page is loaded and is not a self-submitting form on its way elsewhere. */
  private async settle(): Promise<PageState> {
    const deadline = Date.now() + this.timeoutMs;
    let previous = '';
    let stableSince = Date.now();
    for (;;) {
      if (Date.now() > deadline)
        throw new HarnessError('ERR_STEP_TIMEOUT', `the page at ${this.page.url()} did not settle`);
      try {
        await this.page.waitForLoadState('load');
        const state = await this.page.evaluate(() => ({
          ready: document.readyState,
          autoSubmit: /\.submit\(\)/.test(document.body?.getAttribute('onload') ?? ''),
          url: location.href,
        }));
        if (state.ready === 'complete' && !state.autoSubmit) {
          if (state.url !== previous) {
            previous = state.url;
            stableSince = Date.now();
          } else if (Date.now() - stableSince >= 150) {
            break;
          }
        }
      } catch {
        // The page navigated while we looked at it; look again.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const html = await this.page.content();
    const text = (await this.page.evaluate(() => document.body?.innerText ?? '')).replace(/\s+/g, ' ').trim();
    if (this.page.url().startsWith('chrome-error://')) {
      // Chromium shows its own error page when the target does not answer: the environment broke, not a rule.
      throw new HarnessError(
        'ERR_TARGET_UNREACHABLE',
        this.lastFailed ??
          `the browser could not load the page (${/\bERR_[A-Z_]+/.exec(text)?.[0] ?? 'network error'})`,
      );
    }
    this.last = { url: this.page.url(), status: this.lastStatus, html, text };
    return this.last;
  }

  async goto(url: string): Promise<PageState> {
    try {
      await this.page.goto(url, { waitUntil: 'load' });
    } catch (e) {
      throw new HarnessError('ERR_TARGET_UNREACHABLE', `${url}: ${(e as Error).message.split('\n')[0]}`, {
        cause: e,
      });
    }
    return this.settle();
  }

  async submitLogin(login: string, password: string): Promise<PageState> {
    const picker = this.page.locator('select[name=username]');
    if ((await picker.count()) === 0) {
      throw new HarnessError('ERR_TARGET_PROTOCOL', `expected the IdP's login form at ${this.page.url()}`);
    }
    const values = await picker
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    if (!values.includes(login))
      throw new HarnessError('ERR_SCENARIO_REFERENCE', `the IdP's user picker has no user ${login}`);
    await picker.selectOption(login);
    await this.page.fill('input[name=password]', password);
    await Promise.all([this.page.waitForEvent('framenavigated'), this.page.click('button[type=submit]')]);
    return this.settle();
  }

  current(): PageState | undefined {
    return this.last;
  }

  async clearCookies(): Promise<void> {
    await this.context.clearCookies();
  }

  drainTraffic(): CapturedTraffic {
    const t = this.traffic;
    this.traffic = { http: [], samlResponses: [], samlRequests: [] };
    return t;
  }

  async screenshot(file: string): Promise<string | undefined> {
    mkdirSync(dirname(file), { recursive: true });
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

export class BrowserDriverFactory implements DriverFactory {
  readonly id = 'browser' as const;
  private browser: Promise<Browser> | undefined;

  private launch(): Promise<Browser> {
    this.browser ??= (async () => {
      const executablePath = chromiumPath();
      try {
        return await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
      } catch (e) {
        throw new HarnessError(
          'ERR_BROWSER_UNAVAILABLE',
          `Chromium at ${executablePath} did not start: ${(e as Error).message.split('\n')[0]}`,
          {
            cause: e,
          },
        );
      }
    })();
    return this.browser;
  }

  async create(stepTimeoutMs: number): Promise<BrowserDriver> {
    return BrowserDriver.open(await this.launch(), stepTimeoutMs);
  }

  async close(): Promise<void> {
    if (this.browser) await (await this.browser.catch(() => undefined))?.close();
    this.browser = undefined;
  }
}
