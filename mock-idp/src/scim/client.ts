import { SCIM_CLIENT_DEFAULTS } from './defaults.js';

/** One request/response pair as it crossed the wire, for the evidence of a run. */
export interface TranscriptEntry {
  /** Position in the tenant's transcript, counting from 1. */
  seq: number;
  at: string;
  action: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
  durationMs: number;
  attempt: number;
  error?: string;
}

export interface ScimConnection {
  baseUrl: string;
  token: string;
}

export interface ScimResponse {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** Thrown when the SP cannot be reached or keeps failing after every retry. */
export class ScimClientError extends Error {
  readonly code = 'ERR_SCIM_CLIENT';
}

/** Bounded concurrency: at most `limit` tasks run at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A vendor's SCIM client: real HTTP to the SP with the bearer token and the vendor's
 * User-Agent, retries with backoff on 429 (honouring an integer Retry-After), 5xx and network
 * failures, and a transcript of every exchange.
 */
export class ScimClient {
  readonly transcript: TranscriptEntry[] = [];
  /** Sequence number the next entry gets. */
  nextSeq = 1;
  action = 'request';

  constructor(
    private readonly conn: () => ScimConnection | undefined,
    private readonly userAgent: string,
    private readonly limiter: Semaphore,
    private readonly opts: { maxAttempts: number; retryBaseMs: number } = SCIM_CLIENT_DEFAULTS,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<ScimResponse> {
    const c = this.conn();
    if (!c) throw new ScimClientError('SCIM is not configured for this tenant (no base URL and token)');
    const url = c.baseUrl.replace(/\/$/, '') + path;
    const headers: Record<string, string> = {
      authorization: `Bearer ${c.token}`,
      accept: 'application/scim+json',
      'user-agent': this.userAgent,
      ...(body !== undefined ? { 'content-type': 'application/scim+json; charset=utf-8' } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      const t0 = Date.now();
      const entry: TranscriptEntry = {
        seq: 0,
        at: new Date().toISOString(),
        action: this.action,
        method,
        url,
        requestHeaders: { ...headers, authorization: 'Bearer ***' },
        ...(body !== undefined ? { requestBody: body } : {}),
        status: 0,
        durationMs: 0,
        attempt,
      };
      let retryAfterMs: number | undefined;
      try {
        const res = await this.limiter.run(() =>
          fetch(url, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(SCIM_CLIENT_DEFAULTS.requestTimeoutMs),
          }),
        );
        const text = await res.text();
        entry.status = res.status;
        entry.durationMs = Date.now() - t0;
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        } catch {
          entry.error = 'the response is not JSON';
        }
        if (parsed !== undefined) entry.responseBody = parsed;
        else if (text) entry.responseBody = text.slice(0, 2000);
        this.record(entry);
        const ra = Number(res.headers.get('retry-after'));
        if (Number.isInteger(ra) && ra >= 0)
          retryAfterMs = Math.min(ra * 1000, SCIM_CLIENT_DEFAULTS.maxRetryAfterMs);
        if ((res.status !== 429 && res.status < 500) || attempt >= this.opts.maxAttempts)
          return { status: res.status, body: parsed };
      } catch (e) {
        entry.durationMs = Date.now() - t0;
        entry.error = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
        this.record(entry);
        if (attempt >= this.opts.maxAttempts)
          throw new ScimClientError(`${method} ${url} failed after ${attempt} attempts: ${entry.error}`);
      }
      await sleep(retryAfterMs ?? this.opts.retryBaseMs * 2 ** (attempt - 1));
    }
  }

  /** Entries recorded since `seq` (inclusive). */
  since(seq: number): TranscriptEntry[] {
    return this.transcript.filter((e) => e.seq >= seq);
  }

  private record(e: TranscriptEntry): void {
    e.seq = this.nextSeq++;
    this.transcript.push(e);
    if (this.transcript.length > SCIM_CLIENT_DEFAULTS.transcriptLimit) this.transcript.shift();
  }
}

export const filterQuery = (attr: string, value: string) =>
  `filter=${encodeURIComponent(`${attr} eq "${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)}`;
