import { HarnessError } from '../errors.js';
import { httpExchange, whyNoAnswer, type HttpAnswer } from '../http-exchange.js';

/** Small JSON-over-HTTP client; network failures and 5xx become HarnessErrors that name the target. */
export async function requestJson<T>(
  what: string,
  method: string,
  url: string,
  token: string | undefined,
  body?: unknown,
  timeoutMs = 15_000,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  let res: HttpAnswer;
  try {
    res = await httpExchange(url, {
      method,
      token: token || undefined,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
    });
  } catch (e) {
    throw new HarnessError('ERR_TARGET_UNREACHABLE', `${what}: ${method} ${url} failed (${whyNoAnswer(e)})`, {
      cause: e,
    });
  }
  if (res.status >= 500) {
    throw new HarnessError(
      'ERR_TARGET_PROTOCOL',
      `${what}: ${method} ${url} answered ${res.status}: ${res.text.slice(0, 200)}`,
    );
  }
  if (res.text && res.json === undefined) {
    throw new HarnessError(
      'ERR_TARGET_PROTOCOL',
      `${what}: ${method} ${url} answered ${res.status} with non-JSON: ${res.text.slice(0, 200)}`,
    );
  }
  return { status: res.status, body: res.json as T };
}

export async function expectOk<T>(
  what: string,
  method: string,
  url: string,
  token: string | undefined,
  body?: unknown,
): Promise<T> {
  const r = await requestJson<T>(what, method, url, token, body);
  if (r.status >= 400) {
    throw new HarnessError(
      'ERR_TARGET_PROTOCOL',
      `${what}: ${method} ${url} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`,
    );
  }
  return r.body;
}
