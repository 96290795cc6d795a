import type { Request, Response } from 'express';

/** How often an open stream is kept alive, and how often the SP's state is compared while anyone listens. */
export const LIVE_DEFAULTS = { keepAliveMs: 15_000, spPollMs: 1_000 };

/**
 * Server-sent events (HTML Living Standard §9.2) for the start page's views: a `change` event
 * names what changed (`scim` when an exchange went through the logging proxy, `sp` when the SP's
 * members, sessions or audit log did), and the open pages fetch themselves again and swap their
 * content in place.
 */
export class LiveEvents {
  private readonly streams = new Set<Response>();
  private readonly keepAlive: NodeJS.Timeout;
  private readonly poll: NodeJS.Timeout;
  private lastSp = '';
  private polling = false;

  constructor(private readonly spState: () => Promise<string>) {
    this.keepAlive = setInterval(() => {
      for (const s of this.streams) s.write(': keep-alive\n\n');
    }, LIVE_DEFAULTS.keepAliveMs);
    this.keepAlive.unref();
    this.poll = setInterval(() => void this.compareSp(), LIVE_DEFAULTS.spPollMs);
    this.poll.unref();
  }

  get listeners(): number {
    return this.streams.size;
  }

  open(req: Request, res: Response): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
  }

  publish(source: 'scim' | 'sp', data: Record<string, unknown> = {}): void {
    const line = `event: change\ndata: ${JSON.stringify({ source, ...data })}\n\n`;
    for (const s of this.streams) s.write(line);
  }

  private async compareSp(): Promise<void> {
    if (this.polling || this.streams.size === 0) return;
    this.polling = true;
    try {
      const now = await this.spState();
      if (this.lastSp && now !== this.lastSp) this.publish('sp');
      this.lastSp = now;
    } catch {
      // The SP is away (stopping); the next comparison tries again.
    } finally {
      this.polling = false;
    }
  }

  close(): void {
    clearInterval(this.keepAlive);
    clearInterval(this.poll);
    for (const s of this.streams) s.end();
    this.streams.clear();
  }
}

/** The script the live pages carry: on each change, fetch the page again and replace its <main>. */
export const LIVE_SCRIPT = `<script>
(() => {
  let busy = false, again = false;
  const refresh = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const html = await (await fetch(location.href, { cache: 'no-store' })).text();
      const next = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
      if (next) document.querySelector('main').replaceWith(next);
      document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  };
  const events = new EventSource('/events');
  events.onopen = () => { document.body.dataset.live = 'on'; };
  events.onerror = () => { document.body.dataset.live = 'reconnecting'; };
  events.addEventListener('change', refresh);
})();
</script>`;
