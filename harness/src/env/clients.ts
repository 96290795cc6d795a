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
): Promise<{ status: number; body: T }> {
  let res: HttpAnswer;
  try {
    res = await httpExchange(url, {
      method,
      token: token || undefined,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
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

/** Reads the SP's state through its observer API (as the reference SP's, sp-under-test/README.md). */
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
