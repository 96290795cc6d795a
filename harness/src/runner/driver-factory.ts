import type { DriverFactory } from '../drivers/driver.js';
import type { DriverId } from '../scenario/types.js';

/** The driver factory for a run; the browser driver (and playwright) is only loaded when asked for. */
export async function createDriverFactory(driver: DriverId): Promise<DriverFactory> {
  if (driver === 'browser') {
    const { BrowserDriverFactory } = await import('../drivers/browser-driver.js');
    return new BrowserDriverFactory();
  }
  const { HttpDriverFactory } = await import('../drivers/http-driver.js');
  return new HttpDriverFactory();
}
