import { parse, type HTMLElement } from 'node-html-parser';
import { CookieJar } from 'tough-cookie';
import { HarnessError } from '../errors.js';
import type { CapturedTraffic, Driver, SideAnswer, DriverFactory, PageState } from './driver.js';
import { captureSaml } from './saml-capture.js';
import { unreachedPage } from './unreached.js';

const MAX_HOPS = 25;

/**
 * The page's text as a person reads it, like a browser's innerText: block elements (headings,
 * paragraphs, table cells) are separated, so "Signed in as a@b.example" and the paragraph after
 * it do not run together; the doctype, scripts, styles and the head are not text.
 */
function visibleText(root: HTMLElement): string {
  for (const el of root.querySelectorAll('script,style,head')) el.remove();
  const text = (root.querySelector('body') ?? root).structuredText;
  return text
    .replace(/^\s*<!doctype[^>]*>/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A page as the HTTP driver reads it, from an answer's HTML. */
export const pageFromHtml = (url: string, status: number, html: string): PageState => ({
  url,
  status,
  html,
  text: visibleText(parse(html)),
});

/** Whether a page submits its first form on load, as the SAML POST binding does. */
function autoSubmitForm(root: HTMLElement): HTMLElement | undefined {
  const body = root.querySelector('body');
  const onload = body?.getAttribute('onload') ?? '';
  const scripts = root
    .querySelectorAll('script')
    .map((s) => s.textContent)
    .join('\n');
  if (!/\.submit\(\)/.test(onload + scripts)) return undefined;
  return root.querySelector('form') ?? undefined;
}

function formFields(form: HTMLElement): URLSearchParams {
  const fields = new URLSearchParams();
  for (const input of form.querySelectorAll('input,select,textarea')) {
    const name = input.getAttribute('name');
    if (!name) continue;
    const tag = input.tagName.toLowerCase();
    if (tag === 'select') {
      const opt = input.querySelector('option[selected]') ?? input.querySelector('option');
      fields.set(name, opt?.getAttribute('value') ?? opt?.textContent ?? '');
    } else {
      const type = (input.getAttribute('type') ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'button') continue;
      fields.set(name, input.getAttribute('value') ?? '');
    }
  }
  return fields;
}

/**
 * A user agent over plain HTTP: a cookie jar, redirects followed one by one, and forms
 * that submit themselves submitted as a browser would. Every hop is kept as evidence.
 */
const CLOSED_CONNECTION = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);
const GET_RETRIES = 3;

/**
 * Sends a request; a GET whose kept-alive connection the server closed while it sat idle in the
 * pool is sent again, as a browser does (RFC 9110 9.2.2). Each failed try drops one such
 * connection; a server that is down fails every try.
 */
async function sendRetryingGet(method: string, send: () => Promise<Response>): Promise<Response> {
  for (let tries = 1; ; tries++) {
    try {
      return await send();
    } catch (e) {
      if (method !== 'GET' || tries > GET_RETRIES || !CLOSED_CONNECTION.has(causeOf(e))) throw e;
    }
  }
}
const causeOf = (e: unknown): string => (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;

export class HttpDriver implements Driver {
  readonly id = 'http' as const;
  private jar = new CookieJar();
  private page: PageState | undefined;
  private traffic: CapturedTraffic = { http: [], samlResponses: [], samlRequests: [] };

  constructor(private readonly timeoutMs: number) {}

  private async fetchOnce(method: string, url: string, form?: URLSearchParams): Promise<Response> {
    captureSaml(url, form, this.traffic);
    const cookie = await this.jar.getCookieString(url);
    let res: Response;
    const sent = performance.now();
    const send = () =>
      fetch(url, {
        method,
        redirect: 'manual',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          accept: 'text/html,application/xhtml+xml',
          'user-agent': 'idp-harness-http-driver',
        },
        body: form?.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    try {
      res = await sendRetryingGet(method, send);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      if (String(cause).startsWith('HPE_')) {
        // Node's HTTP parser refused the answer: the target sent bytes that are not HTTP.
        throw new HarnessError(
          'ERR_TARGET_PROTOCOL',
          `${method} ${url} answered with something that is not HTTP (${cause})`,
          {
            cause: e,
          },
        );
      }
      const code = (e as Error).name === 'TimeoutError' ? 'ERR_STEP_TIMEOUT' : 'ERR_TARGET_UNREACHABLE';
      throw new HarnessError(code, `${method} ${url} failed (${cause})`, { cause: e });
    }
    for (const c of res.headers.getSetCookie()) await this.jar.setCookie(c, url, { ignoreError: true });
    const location = res.headers.get('location') ?? undefined;
    const durationMs = Math.round(performance.now() - sent);
    this.traffic.http.push({
      method,
      url,
      status: res.status,
      ...(location ? { location } : {}),
      durationMs,
    });
    return res;
  }

  private async navigate(method: string, url: string, form?: URLSearchParams): Promise<PageState> {
    let current = { method, url, form };
    const answered = new Set<string>();
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      let res: Response;
      try {
        res = await this.fetchOnce(current.method, current.url, current.form);
      } catch (e) {
        // Sent off to a site that does not answer, which nothing in this navigation came from.
        const offSite =
          hop > 0 && e instanceof HarnessError && e.code === 'ERR_TARGET_UNREACHABLE'
            ? unreachedPage(current.url, answered, e.message)
            : undefined;
        if (!offSite) throw e;
        this.page = offSite;
        return offSite;
      }
      answered.add(new URL(current.url).origin);
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.arrayBuffer();
        const next = new URL(res.headers.get('location')!, current.url).toString();
        const keepMethod = res.status === 307 || res.status === 308;
        current = keepMethod ? { ...current, url: next } : { method: 'GET', url: next, form: undefined };
        continue;
      }
      const html = await res.text();
      const root = parse(html);
      const auto = autoSubmitForm(root);
      if (auto) {
        const action = new URL(auto.getAttribute('action') ?? current.url, current.url).toString();
        const m = (auto.getAttribute('method') ?? 'get').toUpperCase();
        const fields = formFields(auto);
        current =
          m === 'POST'
            ? { method: 'POST', url: action, form: fields }
            : { method: 'GET', url: `${action.split('?')[0]}?${fields}`, form: undefined };
        continue;
      }
      this.page = { url: current.url, status: res.status, html, text: visibleText(root) };
      return this.page;
    }
    throw new HarnessError(
      'ERR_TARGET_PROTOCOL',
      `more than ${MAX_HOPS} redirects or self-submitting forms starting at ${url}`,
    );
  }

  goto(url: string): Promise<PageState> {
    return this.navigate('GET', url);
  }

  async submitLogin(login: string, password: string): Promise<PageState> {
    const page = this.page;
    if (!page) throw new HarnessError('ERR_TARGET_PROTOCOL', 'no page is open to sign in on');
    const root = parse(page.html);
    const form = root.querySelectorAll('form').find((f) => f.querySelector('[name=password]'));
    if (!form) {
      throw new HarnessError(
        'ERR_TARGET_PROTOCOL',
        `expected the IdP's login form at ${page.url}, found: ${page.text.slice(0, 160)}`,
      );
    }
    const fields = formFields(form);
    const userField =
      form.querySelector('select[name=username]') ?? form.querySelector('input[name=username]');
    if (userField?.tagName.toLowerCase() === 'select') {
      const options = userField.querySelectorAll('option').map((o) => o.getAttribute('value'));
      if (!options.includes(login))
        throw new HarnessError('ERR_SCENARIO_REFERENCE', `the IdP's user picker has no user ${login}`);
    }
    fields.set('username', login);
    fields.set('password', password);
    const action = new URL(form.getAttribute('action') ?? page.url, page.url).toString();
    return this.navigate('POST', action, fields);
  }

  current(): PageState | undefined {
    return this.page;
  }

  async request(url: string): Promise<SideAnswer> {
    const cookie = await this.jar.getCookieString(url);
    let res: Response;
    try {
      res = await sendRetryingGet('GET', () =>
        fetch(url, {
          headers: {
            ...(cookie ? { cookie } : {}),
            accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
          },
          signal: AbortSignal.timeout(this.timeoutMs),
        }),
      );
    } catch (e) {
      const code = (e as Error).name === 'TimeoutError' ? 'ERR_STEP_TIMEOUT' : 'ERR_TARGET_UNREACHABLE';
      throw new HarnessError(
        code,
        `GET ${url} failed (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name})`,
        { cause: e },
      );
    }
    for (const c of res.headers.getSetCookie())
      await this.jar.setCookie(c, res.url || url, { ignoreError: true });
    return {
      url: res.url || url,
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      text: await res.text(),
    };
  }

  async clearCookies(): Promise<void> {
    this.jar = new CookieJar();
  }

  drainTraffic(): CapturedTraffic {
    const t = this.traffic;
    this.traffic = { http: [], samlResponses: [], samlRequests: [] };
    return t;
  }

  async screenshot(): Promise<string | undefined> {
    return undefined;
  }

  async close(): Promise<void> {}
}

export class HttpDriverFactory implements DriverFactory {
  readonly id = 'http' as const;
  async create(stepTimeoutMs: number): Promise<HttpDriver> {
    return new HttpDriver(stepTimeoutMs);
  }
  async close(): Promise<void> {}
}
