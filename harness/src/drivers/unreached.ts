import type { PageState } from './driver.js';

/**
 * Where a user agent was sent but could not go: a site no answer of this navigation came from
 * (an SP redirecting a RelayState to https://evil.example). The person would end up there, so it
 * is the page they end on, with nothing on it; the page checks grade it (staysOnSp fails). A
 * site that did answer earlier in the navigation and stops answering is the environment breaking,
 * which stays an error.
 */
export function unreachedPage(
  url: string,
  answeredOrigins: ReadonlySet<string>,
  why: string,
): PageState | undefined {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  if (answeredOrigins.has(origin)) return undefined;
  return { url, status: 0, html: '', text: '', unreached: why };
}
