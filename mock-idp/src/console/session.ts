import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameSecret } from '../http/credentials.js';

/** What the console shows once after an action: its name, and its result or error, with the SCIM exchanges it caused. */
export interface Flash {
  tenant: string;
  action: string;
  ok: boolean;
  message: string;
  exchanges: { method: string; path: string; status: number }[];
}

interface ConsoleSession {
  csrf: string;
  expires: number;
  flash?: Flash;
}

export const CONSOLE_COOKIE = 'idp_console';

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * Console sign-ins: presenting the IdP's admin token opens a session (an HttpOnly, SameSite=Strict
 * cookie); every form the console renders carries the session's own anti-forgery token.
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();
  constructor(private readonly ttlMs: number) {}

  /** Opens a session; the answer is the Set-Cookie header value. */
  open(): string {
    const now = Date.now();
    for (const [k, s] of this.sessions) if (s.expires < now) this.sessions.delete(k);
    const sid = randomBytes(24).toString('base64url');
    this.sessions.set(sid, { csrf: randomBytes(18).toString('base64url'), expires: now + this.ttlMs });
    return `${CONSOLE_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Strict`;
  }

  of(req: IncomingMessage): ConsoleSession | undefined {
    const sid = cookieOf(req, CONSOLE_COOKIE);
    const s = sid ? this.sessions.get(sid) : undefined;
    return s && s.expires >= Date.now() ? s : undefined;
  }

  /** Whether a form's anti-forgery token belongs to the session. */
  static formFrom(session: ConsoleSession, given: unknown): boolean {
    return typeof given === 'string' && given !== '' && sameSecret(given, session.csrf);
  }
}
