import { pageUrl, parsePageRef, type PageName } from '../env/pages.js';
import { HarnessError, NotApplicable } from '../errors.js';
import { fill, type RunContext } from './context.js';

/** The sentence a case that needs an unmapped page is not applicable with. */
export const unmappedPage = (name: string) =>
  `the case opens the SP's ${name} page, which the target does not map (sp.pages.${name} in a target file)`;

/** The URL of one of the target's named pages; not applicable when the target does not map it. */
export function namedPageUrl(ctx: RunContext, name: PageName, params: Record<string, string> = {}): string {
  const url = pageUrl(ctx.target.pages, name, params);
  if (url === undefined) throw new NotApplicable(unmappedPage(name));
  return url;
}

/** The URL of a scenario's page reference (`home`, `environment:TEST`). */
export function pageRefUrl(ctx: RunContext, ref: string): string {
  let parsed;
  try {
    parsed = parsePageRef(ref);
  } catch (e) {
    throw new HarnessError('ERR_SCENARIO_REFERENCE', (e as Error).message);
  }
  return namedPageUrl(ctx, parsed.name, parsed.params);
}

/** Where a step goes: its named page, else its path on the SP, else `fallback`. */
export function stepUrl(ctx: RunContext, where: { page?: string; path?: string }, fallback: string): string {
  if (where.page) return pageRefUrl(ctx, where.page);
  if (where.path) return ctx.target.baseUrl + fill(ctx, where.path);
  return fallback;
}

/** The RelayState an IdP-initiated sign-in carries for a step's page or path (undefined for none). */
export function relayStateFor(ctx: RunContext, where: { page?: string; path?: string }): string | undefined {
  if (where.page) {
    const url = pageRefUrl(ctx, where.page);
    if (ctx.target.relayState === 'url') return url;
    const u = new URL(url);
    return u.pathname + u.search;
  }
  return where.path === undefined ? undefined : fill(ctx, where.path);
}

const PLACEHOLDER = /\{[a-zA-Z]+\}/;

/**
 * Whether a page's URL is a page reference's: the same origin, path and query. A query parameter
 * whose value the page's URL leaves open (`signIn`: `?email={email}&next={next}`) may hold anything.
 */
export function isAtPage(
  ctx: RunContext,
  pageUrlNow: string,
  ref: string,
): { ok: boolean; expected: string } {
  const template = pageRefUrl(ctx, ref);
  const want = new URL(template);
  const got = new URL(pageUrlNow);
  const samePlace = want.origin === got.origin && want.pathname === got.pathname;
  if (!PLACEHOLDER.test(template))
    return { ok: samePlace && want.search === got.search, expected: want.href };
  const fixed = [...want.searchParams].filter(([, v]) => !PLACEHOLDER.test(v));
  return {
    ok: samePlace && fixed.every(([k, v]) => got.searchParams.get(k) === v),
    expected: decodeURI(want.href),
  };
}
