import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the catcher received over SMTP, parsed. */
export interface CaughtMail {
  id: number;
  receivedAt: string;
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  /** The message's headers that have one text value, by lower-cased name. */
  headers: Record<string, string>;
  text: string;
  html: string;
  /** Every http(s) link in the message, in order. */
  links: string[];
}

/** Options of the mail catcher; every default in one place. */
export const MAIL_CATCHER_DEFAULTS = {
  /** Interface to listen on: loopback. */
  host: '127.0.0.1',
  /** 0 picks a free port. */
  port: 0,
  /** Largest message accepted, in bytes. */
  maxMessageBytes: 1024 * 1024,
  /** Messages kept in memory; the oldest are dropped beyond this. */
  maxMessages: 5000,
};

const LINK = /https?:\/\/[^\s"'<>]+/g;
const addresses = (a: AddressObject | AddressObject[] | undefined): string =>
  (Array.isArray(a) ? a : a ? [a] : []).map((x) => x.text).join(', ');

const textHeaders = (headers: Map<string, unknown>): Record<string, string> =>
  Object.fromEntries([...headers].filter((h): h is [string, string] => typeof h[1] === 'string'));

/**
 * An in-memory SMTP server on loopback that keeps every message it is sent. The harness
 * starts one for each suite run and gives its address to the embedded SP as its SMTP
 * server, so scenarios read real mail that went over a real SMTP conversation.
 */
export class MailCatcher {
  private readonly messages: CaughtMail[] = [];
  private readonly waiters = new Set<() => void>();
  private nextId = 1;

  private constructor(
    private readonly server: SMTPServer,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(options: Partial<typeof MAIL_CATCHER_DEFAULTS> = {}): Promise<MailCatcher> {
    const o = { ...MAIL_CATCHER_DEFAULTS, ...options };
    if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
      throw new TypeError('port must be 0..65535');
    const sink: { catcher?: MailCatcher } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'idp-harness mail catcher',
      size: o.maxMessageBytes,
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const text = parsed.text ?? '';
            const html = typeof parsed.html === 'string' ? parsed.html : '';
            sink.catcher!.keep(
              {
                to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                from:
                  addresses(parsed.from) ||
                  (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
                subject: parsed.subject ?? '',
                headers: textHeaders(parsed.headers),
                text,
                html,
                links: [...new Set([...(text.match(LINK) ?? []), ...(html.match(LINK) ?? [])])].map((l) =>
                  l.replace(/&amp;/g, '&'),
                ),
              },
              o.maxMessages,
            );
            callback();
          })
          .catch((e: Error) => callback(e));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolve());
    });
    const addr = server.server.address() as AddressInfo;
    sink.catcher = new MailCatcher(server, o.host, addr.port);
    return sink.catcher;
  }

  private keep(m: Omit<CaughtMail, 'id' | 'receivedAt'>, max: number): void {
    this.messages.push({ id: this.nextId++, receivedAt: new Date().toISOString(), ...m });
    if (this.messages.length > max) this.messages.splice(0, this.messages.length - max);
    for (const wake of this.waiters) wake();
  }

  /** Messages to `address`, oldest first, optionally only those `match` accepts. */
  to(address: string, match: (m: CaughtMail) => boolean = () => true): CaughtMail[] {
    const a = address.toLowerCase();
    return this.messages.filter((m) => m.to.includes(a) && match(m));
  }

  /** The newest message to `address` that `match` accepts, waiting up to `timeoutMs` for one to arrive. */
  async newest(
    address: string,
    match: (m: CaughtMail) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<CaughtMail | undefined> {
    return (await this.atLeast(address, 1, match, timeoutMs)).at(-1);
  }

  /** Messages to `address` that `match` accepts, waiting up to `timeoutMs` until there are at least `count` (SMTP delivery runs after the SP answers). */
  async atLeast(
    address: string,
    count: number,
    match: (m: CaughtMail) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<CaughtMail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(address, match);
      if (found.length >= count || Date.now() >= deadline) return found;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        this.waiters.add(wake);
      });
    }
  }

  all(): readonly CaughtMail[] {
    return this.messages;
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
