import { HarnessError } from '../errors.js';

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
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new HarnessError('ERR_TARGET_UNREACHABLE', `${what}: ${method} ${url} failed (${cause})`, {
      cause: e,
    });
  }
  const text = await res.text();
  if (res.status >= 500) {
    throw new HarnessError(
      'ERR_TARGET_PROTOCOL',
      `${what}: ${method} ${url} answered ${res.status}: ${text.slice(0, 200)}`,
    );
  }
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HarnessError(
        'ERR_TARGET_PROTOCOL',
        `${what}: ${method} ${url} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`,
      );
    }
  }
  return { status: res.status, body: parsed as T };
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
