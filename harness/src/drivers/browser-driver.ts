import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Browser, type Frame, type Request, type Response } from 'playwright-core';
import { HarnessError } from '../errors.js';
import type { CapturedTraffic, Driver, DriverFactory, PageState, SideAnswer } from './driver.js';
import { PageSlot } from './page-slot.js';
import { captureSaml } from './saml-capture.js';
import { unreachedPage } from './unreached.js';

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

/** Whether the document submits its own form on load (a SAML POST-binding page on its way elsewhere). */
const AUTO_SUBMIT_PROBE = () => ({
  ready: document.readyState,
  autoSubmit: /\.submit\(\)/.test(document.body?.getAttribute('onload') ?? ''),
});

/**
 * A real Chromium, driven through playwright-core. Each run gets a page of its own; the factory
 * hands a page back out only after its cookies, storage and cache have been wiped (see PageSlot).
 */
export class BrowserDriver implements Driver {
  readonly id = 'browser' as const;
  private traffic: CapturedTraffic = { http: [], samlResponses: [], samlRequests: [] };
  private last: PageState | undefined;
  private lastStatus = 0;
  /** The last navigation the browser could not complete (connection refused, reset …). */
  private lastFailed: string | undefined;
  /** The URL of the last navigation that failed, and the origins that have answered a navigation. */
  private lastFailedUrl: string | undefined;
  private readonly answered = new Set<string>();
  /** Counts documents committed in the main frame, so that settle() can wait for the next one. */
  private committed = 0;
  /** settle() or submitLogin() waiting for the document after the `seen`-th. */
  private waiting:
    { seen: number; resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;
  private readonly detach: () => void;
  private closed = false;

  constructor(
    private readonly slot: PageSlot,
    private readonly timeoutMs: number,
    private readonly release: (slot: PageSlot) => Promise<void>,
  ) {
    const page = slot.page;
    page.setDefaultTimeout(timeoutMs);
    page.setDefaultNavigationTimeout(timeoutMs);
    const onRequest = (req: Request) => {
      if (!req.isNavigationRequest()) return;
      const body =
        req.method() === 'POST' && req.postData() ? new URLSearchParams(req.postData() ?? '') : undefined;
      captureSaml(req.url(), body, this.traffic);
    };
    const onFailed = (req: Request) => {
      if (!req.isNavigationRequest()) return;
      this.lastFailed = `${req.method()} ${req.url()} failed (${req.failure()?.errorText ?? 'network error'})`;
      this.lastFailedUrl = req.url();
    };
    const onResponse = (res: Response) => {
      const req = res.request();
      slot.visited(req.url());
      if (!req.isNavigationRequest()) return;
      this.answered.add(new URL(req.url()).origin);
      if (req.frame() === page.mainFrame()) this.lastStatus = res.status();
      const location = res.headers().location;
      const answeredAfter = req.timing().responseStart;
      this.traffic.http.push({
        method: req.method(),
        url: req.url(),
        status: res.status(),
        ...(location ? { location } : {}),
        ...(answeredAfter >= 0 ? { durationMs: Math.round(answeredAfter) } : {}),
      });
    };
    const onNavigated = (frame: Frame) => {
      if (frame !== page.mainFrame()) return;
      this.committed++;
      if (this.waiting && this.committed > this.waiting.seen) this.endWait();
    };
    page.on('request', onRequest);
    page.on('requestfailed', onFailed);
    page.on('response', onResponse);
    page.on('framenavigated', onNavigated);
    this.detach = () => {
      page.off('request', onRequest);
      page.off('requestfailed', onFailed);
      page.off('response', onResponse);
      page.off('framenavigated', onNavigated);
    };
  }

  /** The page, while this run holds it; an abandoned step that wakes up later must not touch the next run's page. */
  private get page() {
    if (this.closed)
      throw new HarnessError('ERR_DRIVER_CLOSED', 'the run that used this browser page has ended');
    return this.slot.page;
  }

  /** Resolves once a document after the `seen`-th has been committed, or rejects at the deadline. */
  private nextCommit(seen: number, deadline: number, waitingFor: string): Promise<void> {
    if (this.committed > seen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.endWait(
            new HarnessError('ERR_STEP_TIMEOUT', `${waitingFor} at ${this.slot.page.url()} led nowhere`),
          ),
        Math.max(0, deadline - Date.now()),
      );
      this.waiting = { seen, resolve, reject, timer };
    });
  }

  /** Ends the current wait for a commit: resolved, or rejected with `error`. */
  private endWait(error?: Error): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    clearTimeout(w.timer);
    if (error) w.reject(error);
    else w.resolve();
  }

  /**
   * Waits until the main document has loaded and is not a self-submitting form, following each
   * such form to the next document. Driven by the browser's own events, not by polling.
   */
  private async settle(): Promise<PageState> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      if (Date.now() > deadline)
        throw new HarnessError('ERR_STEP_TIMEOUT', `the page at ${this.page.url()} did not settle`);
      const seen = this.committed;
      let probe: ReturnType<typeof AUTO_SUBMIT_PROBE> | undefined;
      try {
        await this.page.waitForLoadState('load', { timeout: Math.max(1, deadline - Date.now()) });
        probe = await this.page.evaluate(AUTO_SUBMIT_PROBE);
      } catch (e) {
        if (e instanceof HarnessError) throw e;
        if (e instanceof Error && e.name === 'TimeoutError')
          throw new HarnessError('ERR_STEP_TIMEOUT', `the page at ${this.page.url()} did not finish loading`);
        if (this.page.isClosed())
          throw new HarnessError('ERR_BROWSER_UNAVAILABLE', `the browser closed the page: ${String(e)}`);
        // The document changed while we looked at it; look at the new one.
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      if (probe.autoSubmit) await this.nextCommit(seen, deadline, 'the self-submitting form');
      else if (probe.ready === 'complete' && this.committed === seen) break;
      else await new Promise((r) => setTimeout(r, 10));
    }
    const { html, text } = await this.page.evaluate(() => ({
      html: document.documentElement.outerHTML,
      text: document.body?.innerText ?? '',
    }));
    if (this.page.url().startsWith('chrome-error://')) {
      // Sent off to a site that does not answer, which never answered before: the page the person ends on.
      const offSite =
        this.lastFailedUrl && this.lastFailed
          ? unreachedPage(this.lastFailedUrl, this.answered, this.lastFailed)
          : undefined;
      if (offSite) return (this.last = offSite);
      // Chromium shows its own error page when the target does not answer: the environment broke, not a rule.
      throw new HarnessError(
        'ERR_TARGET_UNREACHABLE',
        this.lastFailed ??
          `the browser could not load the page (${/\bERR_[A-Z_]+/.exec(text)?.[0] ?? 'network error'})`,
      );
    }
    this.last = {
      url: this.page.url(),
      status: this.lastStatus,
      html,
      text: text.replace(/\s+/g, ' ').trim(),
    };
    return this.last;
  }

  async goto(url: string): Promise<PageState> {
    const page = this.page;
    this.lastFailedUrl = undefined;
    try {
      await page.goto(url, { waitUntil: 'load' });
    } catch (e) {
      // Redirected to a site that does not answer: the page the person ends on (see settle).
      const offSite =
        this.lastFailedUrl && this.lastFailedUrl !== url && this.lastFailed
          ? unreachedPage(this.lastFailedUrl, this.answered, this.lastFailed)
          : undefined;
      if (offSite) return (this.last = offSite);
      throw new HarnessError('ERR_TARGET_UNREACHABLE', `${url}: ${(e as Error).message.split('\n')[0]}`, {
        cause: e,
      });
    }
    return this.settle();
  }

  async submitLogin(login: string, password: string): Promise<PageState> {
    const picker = this.page.locator('select[name=username]');
    const values = await this.page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLOptionElement>('select[name=username] option'),
        (o) => o.value,
      ),
    );
    if (values.length === 0) {
      throw new HarnessError('ERR_TARGET_PROTOCOL', `expected the IdP's login form at ${this.page.url()}`);
    }
    if (!values.includes(login))
      throw new HarnessError('ERR_SCENARIO_REFERENCE', `the IdP's user picker has no user ${login}`);
    await picker.selectOption(login);
    await this.page.fill('input[name=password]', password);
    const seen = this.committed;
    await this.page.click('button[type=submit]', { noWaitAfter: true });
    await this.nextCommit(seen, Date.now() + this.timeoutMs, 'submitting the login form');
    return this.settle();
  }

  current(): PageState | undefined {
    return this.last;
  }

  async request(url: string): Promise<SideAnswer> {
    try {
      const res = await this.page.context().request.get(url, {
        headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' },
        timeout: this.timeoutMs,
      });
      return {
        url: res.url(),
        status: res.status(),
        contentType: res.headers()['content-type'] ?? '',
        text: await res.text(),
      };
    } catch (e) {
      throw new HarnessError('ERR_TARGET_UNREACHABLE', `GET ${url}: ${(e as Error).message.split('\n')[0]}`, {
        cause: e,
      });
    }
  }

  async clearCookies(): Promise<void> {
    await this.page.context().clearCookies();
  }

  drainTraffic(): CapturedTraffic {
    const t = this.traffic;
    this.traffic = { http: [], samlResponses: [], samlRequests: [] };
    return t;
  }

  /** The visible viewport, or the whole page when it is taller than the viewport. */
  async screenshot(file: string): Promise<string | undefined> {
    mkdirSync(dirname(file), { recursive: true });
    const taller = await this.page
      .evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 1)
      .catch(() => false);
    await this.page.screenshot({ path: file, fullPage: taller });
    return file;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endWait(new HarnessError('ERR_DRIVER_CLOSED', 'the run that used this browser page has ended'));
    this.detach();
    await this.release(this.slot);
  }
}

/**
 * One Chromium per factory (a factory belongs to one worker). Pages are kept between runs: a run
 * gets an idle, wiped page when there is one, else a new context and page.
 */
export class BrowserDriverFactory implements DriverFactory {
  readonly id = 'browser' as const;
  private browser: Promise<Browser> | undefined;
  private readonly idle: PageSlot[] = [];
  private readonly all = new Set<PageSlot>();

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
    let slot = this.idle.pop();
    if (!slot) {
      slot = await PageSlot.open(await this.launch());
      this.all.add(slot);
    }
    return new BrowserDriver(slot, stepTimeoutMs, (s) => this.giveBack(s));
  }

  /** Wipes a page after a run; keeps it for the next run only when the wipe fully succeeded. */
  private async giveBack(slot: PageSlot): Promise<void> {
    if (this.browser && (await slot.wipe()) && this.idle.length === 0) {
      this.idle.push(slot);
      return;
    }
    this.all.delete(slot);
    await slot.close();
  }

  async close(): Promise<void> {
    this.idle.length = 0;
    for (const slot of this.all) await slot.close();
    this.all.clear();
    if (this.browser) await (await this.browser.catch(() => undefined))?.close();
    this.browser = undefined;
  }
}
