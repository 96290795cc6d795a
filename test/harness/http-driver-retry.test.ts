import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDriver } from '../../harness/src/drivers/http-driver.js';

/**
 * A server may close kept-alive connections while they sit idle in the client's pool. The http
 * driver then sends a GET again, up to three more times, as a browser does (RFC 9110 9.2.2); a
 * server that keeps dropping connections still fails the step as unreachable.
 */
describe('harness: the http driver sends a GET again when the connection closes under it', () => {
  let server: Server;
  let url: string;
  let drops = 0;
  const seen: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/always-drops' || drops > 0) {
        if (req.url !== '/always-drops') drops--;
        req.socket.destroy();
        return;
      }
      res.setHeader('content-type', 'text/html');
      res.end('<h1>Signed in as maria@acme.example</h1>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    drops = 0;
  });

  it('a GET whose connection is closed once is sent again and reaches the page', async () => {
    drops = 1;
    const page = await new HttpDriver(5_000).goto(`${url}/home`);
    expect(page.text).to.equal('Signed in as maria@acme.example');
    expect(seen).to.deep.equal(['GET /home', 'GET /home']);
  });

  it('a GET whose pooled connections are all closed is sent on until a new one answers', async () => {
    drops = 3;
    const page = await new HttpDriver(5_000).goto(`${url}/home`);
    expect(page.text).to.equal('Signed in as maria@acme.example');
    expect(seen).to.have.length(4);
  });

  it('a side request (a fresh request with the same cookies, a whoami) is sent again too', async () => {
    drops = 1;
    const answer = await new HttpDriver(5_000).request(`${url}/home`);
    expect(answer.status).to.equal(200);
    expect(seen).to.deep.equal(['GET /home', 'GET /home']);
  });

  it('a server that drops every connection is unreachable, after three more tries', async () => {
    const err = await new HttpDriver(5_000).goto(`${url}/always-drops`).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(err?.code).to.equal('ERR_TARGET_UNREACHABLE');
    expect(seen).to.deep.equal(Array(4).fill('GET /always-drops'));
  });
});
