import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runRunscopeExport, type RunscopeExport } from '../../harness/src/peer/runscope.js';

const request = (note: string, status: string, skipped = false) => ({
  step_type: 'request',
  note,
  method: 'GET',
  url: '{{base}}/Users',
  skipped,
  assertions: [{ source: 'response_status', comparison: 'equal_number', value: status }],
});

describe('Runscope interpreter: skipped steps', () => {
  let server: Server;
  let base: string;
  let requests = 0;
  before(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/scim+json');
      res.end('{"Resources":[]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  const run = (steps: RunscopeExport['steps']) =>
    runRunscopeExport({ name: 'suite', steps }, { variables: { base }, pause: async () => undefined });

  it('counts a skipped step as skipped, neither passed nor run', async () => {
    requests = 0;
    const outcome = await run([
      request('lists users', '200'),
      request('would fail, but is skipped', '404', true),
      { step_type: 'pause', duration: 1 },
    ]);
    expect(requests).to.equal(1);
    expect(outcome.counts).to.deep.equal({ passed: 2, failed: 0, skipped: 1 });
    expect(outcome.steps.map((s) => [s.skipped ?? false, s.passed])).to.deep.equal([
      [false, true],
      [true, false],
      [false, true],
    ]);
    expect(outcome.passed).to.equal(true);
  });

  it('a failing step that ran still fails the suite beside a skipped one', async () => {
    const outcome = await run([request('wrong status', '201'), request('skipped', '200', true)]);
    expect(outcome.counts).to.deep.equal({ passed: 0, failed: 1, skipped: 1 });
    expect(outcome.passed).to.equal(false);
  });
});
