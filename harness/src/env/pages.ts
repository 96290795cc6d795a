/**
 * The pages of an SP that scenarios name, instead of hard-coding one SP's URL layout. Each
 * target maps them to its own URLs: the embedded reference SP to `/w/<workspace>/…`, a target
 * file in `sp.pages`. A scenario refers to a page by name, `environment:<ENV>` for the page of
 * one environment.
 */
export const PAGE_NAMES = [
  'home',
  'deepLink',
  'secondDeepLink',
  'signedOut',
  'signIn',
  'switcher',
  'environment',
] as const;
export type PageName = (typeof PAGE_NAMES)[number];

/** Placeholders a page's URL may hold beyond {workspace} and {idp}. */
export const PAGE_PLACEHOLDERS: Record<PageName, readonly string[]> = {
  home: [],
  deepLink: [],
  secondDeepLink: [],
  signedOut: [],
  signIn: ['email', 'next'],
  switcher: [],
  environment: ['environment'],
};

/** A target's pages: absolute URLs, {workspace} and {idp} already filled; the page placeholders are not. */
export type PageMap = Partial<Record<PageName, string>>;

export interface PageRef {
  name: PageName;
  environment?: string;
}

/** Reads a scenario's page reference: `home`, `deepLink`, `environment:TEST`. */
export function parsePageRef(ref: string): PageRef {
  const [name, arg] = ref.split(':', 2) as [string, string | undefined];
  if (!(PAGE_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown page ${ref}`);
  return name === 'environment' ? { name, environment: arg ?? '' } : { name: name as PageName };
}

/** A page's URL with its own placeholders filled (values URL-encoded), or undefined when the target has no such page. */
export function pageUrl(
  pages: PageMap,
  name: PageName,
  params: Record<string, string> = {},
): string | undefined {
  const template = pages[name];
  if (template === undefined) return undefined;
  return template.replace(/\{([a-zA-Z]+)\}/g, (m, k: string) =>
    params[k] !== undefined ? encodeURIComponent(params[k]) : m,
  );
}

/** Resolves a target file's page (a URL or a path on `origin`). */
export const absolutePage = (value: string, origin: string): string =>
  value.startsWith('/') ? origin + value : value;
