import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDriver } from '../../harness/src/drivers/http-driver.js';

/**
 * The http driver reads a page's text as a browser's innerText does. Run together, the heading
 * "Signed in as maria@acme.example" and the next paragraph would read as one word, so no
 * recogniser could tell where the signed-in address ends.
 */
describe('harness: the http driver reads page text as a person sees it', () => {
  let server: Server;
  let url: string;
  const pages: Record<string, string> = {
    '/doc':
      '<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body><h1>Signed in as maria@acme.example</h1><p>Page /okta/, through okta.</p><table><tr><th>role</th><td>Admin</td></tr></table><p>Sign <b>out</b></p><script>var x = 1;</script></body></html>',
    '/fragment': '<!doctype html>plain <em>words</em>',
  };

  before(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(pages[req.url ?? ''] ?? 'none');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('separates block elements, keeps inline text together, and leaves out doctype, head, style and script', async () => {
    const page = await new HttpDriver(5_000).goto(`${url}/doc`);
    expect(page.text).to.equal(
      'Signed in as maria@acme.example Page /okta/, through okta. role Admin Sign out',
    );
    expect(/Signed in as maria@acme\.example(\s|$)/.test(page.text)).to.equal(true);
  });

  it('a page with no body: its text without the doctype', async () => {
    const page = await new HttpDriver(5_000).goto(`${url}/fragment`);
    expect(page.text).to.equal('plain words');
  });
});
