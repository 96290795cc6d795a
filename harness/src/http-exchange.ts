/** One HTTP request of the harness and its whole answer. */
export interface HttpAnswer {
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
  /** From sending the request to the end of the body. */
  timeMs: number;
}

export interface HttpRequest {
  method: string;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>` (RFC 6750 §2.1), unless `headers` names an authorization of its own. */
  token?: string;
  body?: string;
  timeoutMs?: number;
  /** `manual`: a redirect is the answer, not followed (default: followed). */
  redirect?: 'follow' | 'manual';
}

/** The `Authorization` value of a bearer token (RFC 6750 §2.1). */
export const bearer = (token: string): string => `Bearer ${token}`;

/**
 * Sends one request and reads its answer: status, headers, text and, when the text is JSON, its
 * value. A request that gets no answer (refused, reset, timed out) rejects with fetch's error;
 * `whyNoAnswer` names it.
 */
export async function httpExchange(url: string, req: HttpRequest): Promise<HttpAnswer> {
  const started = performance.now();
  const res = await fetch(url, {
    method: req.method,
    headers: { ...(req.token !== undefined ? { authorization: bearer(req.token) } : {}), ...req.headers },
    body: req.body,
    redirect: req.redirect ?? 'follow',
    signal: AbortSignal.timeout(req.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => void (headers[k] = v));
  return { status: res.status, headers, text, json, timeMs: performance.now() - started };
}

/** Why a request got no answer: the system's code (ECONNREFUSED …) or the error's name. */
export const whyNoAnswer = (e: unknown): string =>
  (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name ?? String(e);
