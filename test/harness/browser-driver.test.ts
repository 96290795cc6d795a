import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrowserDriverFactory } from '../../harness/src/drivers/browser-driver.js';
import { HarnessError } from '../../harness/src/errors.js';

/**
 * A small site that leaves state behind in every place a browser keeps it, and reports what it
 * finds; `/cached` counts how often it is really fetched.
 */
function site(): { server: Server; fetchesOfCached: () => number } {
  let cachedFetches = 0;
  const html = (body: string, onload = '') =>
    `<!doctype html><html><head><title>t</title></head><body${onload ? ` onload="${onload}"` : ''}>${body}</body></html>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    switch (url.pathname) {
      case '/leave-state':
        res.setHeader('set-cookie', 'sid=run-one; Path=/; HttpOnly');
        res.end(
          html(
            `<script>localStorage.setItem('who', 'run-one');
            indexedDB.open('db', 1).onupgradeneeded = (e) => e.target.result.createObjectStore('s');
            </script><img src="/cached">done`,
          ),
        );
        return;
      case '/leave-session-state':
        res.end(html(`<script>sessionStorage.setItem('who', 'run-one')</script>done`));
        return;
      case '/cached':
        cachedFetches++;
        res.setHeader('cache-control', 'max-age=3600');
        res.setHeader('content-type', 'image/gif');
        res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
        return;
      case '/look':
        res.end(
          html(
            `<img src="/cached"><p id="out"></p><script>
            document.getElementById('out').textContent = JSON.stringify({
              cookie: ${JSON.stringify(req.headers.cookie ?? '')},
              local: localStorage.getItem('who'),
              session: sessionStorage.getItem('who'),
            });</script>`,
          ),
        );
        return;
      case '/post-binding':
        res.end(
          html(
            `<form method="post" action="/acs"><input type="hidden" name="SAMLResponse" value="PHg+PC94Pg=="></form>`,
            'document.forms[0].submit()',
          ),
        );
        return;
      case '/submits-nowhere':
        res.end(html(`<form action="javascript:void 0"></form>`, 'document.forms[0].submit()'));
        return;
      case '/acs':
        res.statusCode = 302;
        res.setHeader('location', '/landed');
        res.end();
        return;
      case '/landed':
        res.end(html('<h1>Signed in</h1>'));
        return;
      case '/whoami':
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ cookie: req.headers.cookie ?? '' }));
        return;
      default:
        res.statusCode = 404;
        res.end(html('not found'));
    }
  });
  return { server, fetchesOfCached: () => cachedFetches };
}

describe('harness: the browser driver', function () {
  let factory: BrowserDriverFactory;
  let base: string;
  let world: ReturnType<typeof site>;

  before(async () => {
    world = site();
    await new Promise<void>((r) => world.server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(world.server.address() as AddressInfo).port}`;
    factory = new BrowserDriverFactory();
  });
  after(async () => {
    await factory.close();
    await new Promise((r) => world.server.close(r));
  });

  const look = async () => {
    const driver = await factory.create(15_000);
    try {
      const page = await driver.goto(`${base}/look`);
      return JSON.parse(/\{.*\}/.exec(page.text)![0]) as Record<string, string | null>;
    } finally {
      await driver.close();
    }
  };

  it('hands the next run a page without the cookies, storage or cached responses of the last one', async () => {
    const first = await factory.create(15_000);
    await first.goto(`${base}/leave-state`);
    await first.close();
    const fetchedBefore = world.fetchesOfCached();

    expect(await look()).to.deep.equal({ cookie: '', local: null, session: null });
    // The image cached for an hour was fetched again: the HTTP cache went with the run.
    expect(world.fetchesOfCached()).to.equal(fetchedBefore + 1);
  });

  it('clears the session storage the last run left in the tab', async () => {
    const first = await factory.create(15_000);
    await first.goto(`${base}/leave-session-state`);
    await first.close();
    expect(await look()).to.include({ session: null });
  });

  it('request() asks in the page’s session, with its cookies, without leaving the page or adding to its traffic', async () => {
    const driver = await factory.create(15_000);
    try {
      const page = await driver.goto(`${base}/leave-state`);
      driver.drainTraffic();
      const answer = await driver.request(`${base}/whoami`);
      expect(answer).to.include({ status: 200, url: `${base}/whoami` });
      expect(JSON.parse(answer.text)).to.deep.equal({ cookie: 'sid=run-one' });
      expect(driver.current()).to.equal(page);
      expect(driver.drainTraffic().http).to.deep.equal([]);
    } finally {
      await driver.close();
    }
  });

  it('follows a self-submitting POST form to the page after it and records the SAML it carried', async () => {
    const driver = await factory.create(15_000);
    try {
      const page = await driver.goto(`${base}/post-binding`);
      expect(page).to.include({ url: `${base}/landed`, status: 200, text: 'Signed in' });
      const traffic = driver.drainTraffic();
      expect(traffic.samlResponses).to.deep.equal(['<x></x>']);
      expect(traffic.http.map((h) => `${h.method} ${new URL(h.url).pathname} ${h.status}`)).to.deep.equal([
        'GET /post-binding 200',
        'POST /acs 302',
        'GET /landed 200',
      ]);
    } finally {
      await driver.close();
    }
  });

  it('keeps a step abandoned at its timeout away from the page the next run is given', async () => {
    const abandoned = await factory.create(15_000);
    await abandoned.goto(`${base}/landed`);
    await abandoned.close();
    const next = await factory.create(15_000);
    try {
      await next.goto(`${base}/post-binding`);
      const late = await abandoned.goto(`${base}/leave-state`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(late).to.be.instanceOf(HarnessError).and.include({ code: 'ERR_DRIVER_CLOSED' });
      expect(next.current()).to.include({ url: `${base}/landed` });
      expect(next.drainTraffic().http.map((h) => new URL(h.url).pathname)).to.not.include('/leave-state');
    } finally {
      await next.close();
    }
  });

  it('ends a wait for the next page when its run ends, and leaves no timer behind to fire later', async () => {
    const driver = await factory.create(1_500);
    // The form submits itself but never leaves: the driver waits for a page that will not come.
    const waiting = driver.goto(`${base}/submits-nowhere`).then(
      () => undefined,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 300));
    await driver.close();
    expect(await waiting)
      .to.be.instanceOf(HarnessError)
      .and.include({ code: 'ERR_DRIVER_CLOSED' });
    // Past the step timeout: a timer left running would now throw outside any run.
    await new Promise((r) => setTimeout(r, 2_000));
  });

  it('turns a page that cannot be loaded into ERR_TARGET_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const driver = await factory.create(15_000);
    try {
      const failure = await driver.goto(`http://127.0.0.1:${port}/`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).to.be.instanceOf(HarnessError).and.include({ code: 'ERR_TARGET_UNREACHABLE' });
    } finally {
      await driver.close();
    }
    // The page that failed is still good for the next run.
    expect(await look()).to.include({ cookie: '' });
  });
});
