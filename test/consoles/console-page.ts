import type { BrowserContext, Page } from 'playwright-core';
import type { RunningServe } from '../../harness/src/serve/serve.js';

/** Opens a vendor's console from the serve start page, as a presenter does (the button sets the console session). */
export async function openConsole(
  context: BrowserContext,
  serve: RunningServe,
  vendor: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${serve.url}/`);
  await page.click(`button[data-link="console"][data-vendor="${vendor}"]`);
  await page.waitForSelector(`body[data-console="${vendor}"]`);
  return page;
}
