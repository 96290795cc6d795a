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
  'members',
  'folder',
  'recipe',
  'recipeEditor',
  'connection',
  'connectionEditor',
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
  members: [],
  folder: ['environment', 'folder'],
  recipe: ['environment', 'name'],
  recipeEditor: ['environment', 'name'],
  connection: ['environment', 'name'],
  connectionEditor: ['environment', 'name'],
};

/** The pages a scenario names with arguments, and which placeholders the arguments fill, in order. */
const REF_ARGUMENTS: Partial<Record<PageName, readonly string[]>> = {
  environment: ['environment'],
  folder: ['environment', 'folder'],
  recipe: ['environment', 'name'],
  recipeEditor: ['environment', 'name'],
  connection: ['environment', 'name'],
  connectionEditor: ['environment', 'name'],
};

/** A target's pages: absolute URLs, {workspace} and {idp} already filled; the page placeholders are not. */
export type PageMap = Partial<Record<PageName, string>>;

export interface PageRef {
  name: PageName;
  /** The page's placeholders the reference fills (`environment`, `folder`, `name`). */
  params: Record<string, string>;
}

/**
 * Reads a scenario's page reference: `home`, `deepLink`, `environment:TEST`, `members`, and
 * pages inside an environment with their object after a slash: `folder:DEV/Marketing`,
 * `recipe:DEV/lead-to-slack`, `recipeEditor:PROD/campaign-sync`, `connectionEditor:DEV/crm`.
 */
export function parsePageRef(ref: string): PageRef {
  const i = ref.indexOf(':');
  const name = i < 0 ? ref : ref.slice(0, i);
  if (!(PAGE_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown page ${ref}`);
  const wanted = REF_ARGUMENTS[name as PageName] ?? [];
  const args = i < 0 ? [] : ref.slice(i + 1).split('/');
  if (args.length !== wanted.length || args.some((a) => a === ''))
    throw new RangeError(
      wanted.length
        ? `page ${ref} needs ${wanted.join('/')} after "${name}:"`
        : `page ${name} takes no argument (${ref})`,
    );
  return { name: name as PageName, params: Object.fromEntries(wanted.map((k, n) => [k, args[n]!])) };
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
