import type { Request, Response } from 'express';

/** One SCIM exchange as it went through the proxy. */
export interface ScimLogEntry {
  seq: number;
  at: string;
  method: string;
  url: string;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
  durationMs: number;
}

/** Entries kept; the oldest are dropped beyond this. */
const LIMIT = 2000;

const parse = (buf: Buffer | string | undefined): unknown => {
  const text = Buffer.isBuffer(buf) ? buf.toString('utf8') : (buf ?? '');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A logging proxy in front of the SP's SCIM endpoint: the IdPs' SCIM clients (or any SCIM
 * client, Postman included) talk to `/scim-proxy/v2/…`, and every request and response is
 * forwarded unchanged and kept for the SCIM traffic log.
 */
export class ScimLog {
  readonly entries: ScimLogEntry[] = [];
  private seq = 0;
  constructor(
    private readonly spUrl: string,
    /** Told of every entry as it is kept (the live views refresh on it). */
    private readonly onEntry: (e: ScimLogEntry) => void = () => undefined,
  ) {}

  async forward(req: Request, res: Response): Promise<void> {
    const t0 = Date.now();
    const url = `${this.spUrl}/scim${req.url}`;
    const body = Buffer.isBuffer(req.body) && req.body.length ? req.body : undefined;
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'content-type', 'accept', 'if-match', 'if-none-match']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    let status = 502;
    let answer: Buffer = Buffer.alloc(0);
    let contentType = 'application/scim+json';
    const passOn: Record<string, string> = {};
    try {
      const r = await fetch(url, {
        method: req.method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
      });
      status = r.status;
      answer = Buffer.from(await r.arrayBuffer());
      contentType = r.headers.get('content-type') ?? contentType;
      for (const h of ['etag', 'location']) {
        const v = r.headers.get(h);
        if (v) passOn[h] = v;
      }
    } catch (e) {
      answer = Buffer.from(
        JSON.stringify({ detail: `the SP could not be reached: ${(e as Error).message}`, status: '502' }),
      );
    }
    const entry: ScimLogEntry = {
      seq: ++this.seq,
      at: new Date(t0).toISOString(),
      method: req.method,
      url: `/scim${req.url}`,
      requestBody: parse(body),
      status,
      responseBody: parse(answer),
      durationMs: Date.now() - t0,
    };
    this.entries.push(entry);
    if (this.entries.length > LIMIT) this.entries.shift();
    this.onEntry(entry);
    res
      .status(status)
      .set({ 'content-type': contentType, ...passOn })
      .send(answer);
  }
}
