import { expect } from 'chai';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpExchange, whyNoAnswer } from '../../harness/src/http-exchange.js';

describe('harness: one HTTP exchange helper', () => {
  let server: Server;
  let base: string;
  let seen: { method?: string; headers: IncomingHttpHeaders; body: string };
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, headers: req.headers, body };
        if (req.url === '/json') {
          res.setHeader('ETag', 'W/"1"');
          res.setHeader('content-type', 'application/scim+json');
          res.end('{"id":"u1"}');
        } else if (req.url === '/text') res.end('not json');
        else {
          res.statusCode = 204;
          res.end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  it('reads status, headers, text and JSON', async () => {
    const a = await httpExchange(`${base}/json`, { method: 'POST', body: '{"x":1}', token: 't0k' });
    expect(a.status).to.equal(200);
    expect(a.headers.etag).to.equal('W/"1"');
    expect(a.text).to.equal('{"id":"u1"}');
    expect(a.json).to.deep.equal({ id: 'u1' });
    expect(seen.method).to.equal('POST');
    expect(seen.body).to.equal('{"x":1}');
    expect(seen.headers.authorization).to.equal('Bearer t0k');
  });

  it('leaves json undefined for a body that is not JSON, or empty', async () => {
    const t = await httpExchange(`${base}/text`, { method: 'GET' });
    expect([t.text, t.json]).to.deep.equal(['not json', undefined]);
    const e = await httpExchange(`${base}/empty`, { method: 'DELETE' });
    expect([e.status, e.text, e.json]).to.deep.equal([204, '', undefined]);
    expect(seen.headers.authorization).to.equal(undefined);
  });

  it('an authorization header of the caller wins over the token', async () => {
    await httpExchange(`${base}/empty`, {
      method: 'GET',
      token: 't0k',
      headers: { authorization: 'Basic eDp5' },
    });
    expect(seen.headers.authorization).to.equal('Basic eDp5');
  });

  it('a request that gets no answer rejects, and says why', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await httpExchange(`http://127.0.0.1:${port}/`, { method: 'GET' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(whyNoAnswer(err)).to.equal('ECONNREFUSED');
  });
});
