import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';

/** How long wiping a used page may take before it is thrown away instead. */
const WIPE_TIMEOUT_MS = 5_000;

/**
 * A browser context with one page, reused from run to run. Opening a page costs Chromium a new
 * renderer process (hundreds of milliseconds); wiping one costs a few milliseconds. Between runs
 * the page goes back to about:blank, and the cookies, the HTTP cache and every storage area
 * (local, session, IndexedDB, Cache Storage …) of every origin it fetched from are cleared, so
 * that no run can see another run's state.
 */
export class PageSlot {
  private readonly origins = new Set<string>();

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async open(browser: Browser): Promise<PageSlot> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    return new PageSlot(context, page, cdp);
  }

  /** Records an origin the page fetched something from (a document, a frame, a script …). */
  visited(url: string): void {
    const origin = URL.canParse(url) ? new URL(url).origin : 'null';
    if (origin !== 'null') this.origins.add(origin);
  }

  /** Returns the page to a clean state; false when that could not be done in time. */
  async wipe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), WIPE_TIMEOUT_MS);
    });
    const wiping = (async () => {
      await this.page.goto('about:blank', { waitUntil: 'load', timeout: WIPE_TIMEOUT_MS });
      await this.context.clearCookies();
      await this.cdp.send('Network.clearBrowserCache');
      for (const origin of this.origins) {
        await this.cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
      }
      this.origins.clear();
      return true;
    })().catch(() => false);
    try {
      return await Promise.race([wiping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
