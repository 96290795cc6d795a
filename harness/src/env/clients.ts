import { HarnessError } from '../errors.js';

/** Small JSON-over-HTTP client; network failures and 5xx become HarnessErrors that name the target. */
export async function requestJson<T>(
  what: string,
  method: string,
  url: string,
  token: string | undefined,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
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

export interface ObservedMember {
  email: string;
  name: string;
  status: string;
  roles: Record<string, string>;
}
export interface ObservedSession {
  email: string;
}
export interface ObservedAuditEvent {
  source: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

/** Reads the SP's state through its observer API (design §3). */
export class ObserverClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly workspace: string,
  ) {}
  private url(rest: string) {
    return `${this.baseUrl}/api/admin/workspaces/${encodeURIComponent(this.workspace)}/${rest}`;
  }
  members() {
    return expectOk<ObservedMember[]>('observer', 'GET', this.url('members'), this.token);
  }
  sessions() {
    return expectOk<ObservedSession[]>('observer', 'GET', this.url('sessions'), this.token);
  }
  audit() {
    return expectOk<ObservedAuditEvent[]>('observer', 'GET', this.url('audit'), this.token);
  }
}
