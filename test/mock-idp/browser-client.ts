/**
 * A small cookie-keeping HTTP client that behaves like a browser for SAML flows: it follows
 * redirects, submits auto-posting forms (the POST binding) and fills the mock IdP's login
 * form with the given credentials. Cookies are kept per origin.
 */
export interface Hop {
  method: string;
  url: string;
  status: number;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export class BrowserClient {
  private readonly jar = new Map<string, Map<string, string>>();
  readonly hops: Hop[] = [];

  constructor(private readonly credentials?: { login: string; password: string }) {}

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).origin)?.get(name);
  }

  private store(url: string, res: Response) {
    const origin = new URL(url).origin;
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    this.jar.set(origin, cookies);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/max-age=0/i.test(c) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  /** Opens `url` and follows the flow until a page that needs nobody's action; returns it. */
  async open(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; status: number; html: string }> {
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let form = init.form;
    let current = url;
    for (let step = 0; step < 20; step++) {
      const cookies = [...(this.jar.get(new URL(current).origin) ?? new Map<string, string>())]
        .map(([k, v]) => `${k}=${v}`)
        .join('; ');
      const res = await fetch(current, {
        method,
        redirect: 'manual',
        headers: {
          ...(cookies ? { cookie: cookies } : {}),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: new URLSearchParams(form) } : {}),
      });
      this.hops.push({ method, url: current, status: res.status });
      this.store(current, res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        method = 'GET';
        form = undefined;
        continue;
      }
      const html = await res.text();
      const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
      const fields = Object.fromEntries(
        [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
          m[1]!,
          decode(m[2]!),
        ]),
      );
      if (action && html.includes('document.forms[0].submit()')) {
        current = new URL(decode(action), current).href;
        method = 'POST';
        form = fields;
        continue;
      }
      if (action && 'pending' in fields && this.credentials) {
        current = new URL(decode(action), current).href;
        method = 'POST';
        form = { ...fields, username: this.credentials.login, password: this.credentials.password };
        continue;
      }
      return { url: current, status: res.status, html };
    }
    throw new Error(`too many hops from ${url}`);
  }
}
