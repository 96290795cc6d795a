import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTarget } from '../../harness/src/env/embedded-target.js';
import type { RunSpec, Target } from '../../harness/src/env/target.js';
import { ForeignSp } from '../helpers/foreign-sp.js';
import { freePort, idpMetadataAt, ledgerlyTarget, runTarget } from '../helpers/ledgerly.js';
import { ROOT } from '../helpers/world.js';
import { rejectCase, runCases } from './run-cases.js';

/** The reference SP, its loginUrl pointed at a page of another site that never sends anyone to the IdP. */
class LoginUrlNowhere implements Target {
  readonly kind = 'external';
  readonly description = 'reference SP whose loginUrl is a static page';
  private readonly inner = new EmbeddedTarget();
  constructor(
    private readonly loginUrl: string,
    private readonly observer = true,
  ) {}
  async prepareRun(spec: RunSpec) {
    const run = await this.inner.prepareRun(spec);
    return {
      ...run,
      loginUrl: this.loginUrl,
      pages: { ...run.pages, home: this.loginUrl },
      ...(this.observer ? {} : { observer: null }),
    };
  }
  close() {
    return this.inner.close();
  }
}

describe('vulnerable SPs: an attack that never reached the SP grades nothing', function () {
  this.timeout(180_000);
  let page: Server;
  let url: string;

  before(async () => {
    page = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body><p>Welcome to our product tour</p></body></html>'),
    );
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/tour`;
  });
  after(() => page.close());

  it('makes every attack case an error with ERR_ATTACK_NOT_DELIVERED and the reason, none passed', async () => {
    const names = ['xsw-evil-assertion-before-signed', 'unsigned', 'audience-mismatch', 'untrusted-key'];
    const report = await runCases(names.map(rejectCase), new LoginUrlNowhere(url));
    expect(report.results).to.have.length(names.length);
    for (const r of report.results) {
      expect(r.status, `${r.case}: ${r.message}`).to.be.oneOf(['error', 'not-applicable']);
      if (r.status === 'error') {
        expect(r.steps.at(-1)!.code, r.case).to.equal('ERR_ATTACK_NOT_DELIVERED');
        expect(r.message).to.include('/tour');
      } else expect(r.message, r.case).to.be.a('string').and.not.equal('');
    }
  });

  it('does not pass a logout attack whose attacker never got signed in', async () => {
    const report = await runCases([rejectCase('logout-request-wrapped')], new LoginUrlNowhere(url));
    expect(report.results[0]!.status).to.not.equal('passed');
  });

  it('grades an IdP-initiated attack that did reach the ACS, but not on a home page that is not the SP', async () => {
    const file = rejectCase('trust-no-signing-key');
    const withObserver = (await runCases([file], new LoginUrlNowhere(url))).results[0]!;
    expect(withObserver.status, withObserver.message).to.equal('passed');
    expect(withObserver.grading).to.equal('state');
    const pageOnly = (await runCases([file], new LoginUrlNowhere(url, false))).results[0]!;
    expect(pageOnly.status, pageOnly.message).to.equal('not-applicable');
    expect(pageOnly.message).to.match(/neither the SP .* nor the IdP/);
  });

  it('a target file whose loginUrl is a signed-out page of the SP: no attack case passes', async () => {
    const idpPort = await freePort();
    const sp = await ForeignSp.start({ idps: await idpMetadataAt(idpPort) });
    try {
      const target = ledgerlyTarget(sp, idpPort, 'none') as { sp: Record<string, unknown> };
      target.sp.loginUrl = `${sp.url}/t/{idp}/bye`;
      const ids = ['saml.reject.unsigned', 'saml.reject.xsw-evil-assertion-before-signed'];
      const { code, report } = await runTarget(
        target,
        join(ROOT, 'scenarios/saml-reject'),
        mkdtempSync(join(tmpdir(), 'not-delivered-')),
        ['--idp', 'okta', '--grep', `^(${ids.map((i) => i.replaceAll('.', '\\.')).join('|')})\\s`],
      );
      expect(report.results.map((r) => [r.case, r.status, r.steps.at(-1)!.code])).to.have.deep.members(
        ids.map((id) => [id, 'error', 'ERR_ATTACK_NOT_DELIVERED']),
      );
      expect(report.results[0]!.message).to.match(/never reached the SP.*\/bye/);
      expect(code).to.equal(2);
    } finally {
      await sp.close();
    }
  });

  it('keeps the delivery of the hostile response as evidence when it arrived', async () => {
    const report = await runCases([rejectCase('unsigned')]);
    const observed = report.results[0]!.steps.at(-1)!.evidence.observed as {
      delivery?: Record<string, unknown>;
    };
    expect(report.results[0]!.status).to.equal('passed');
    expect(observed.delivery).to.include({ method: 'POST', param: 'SAMLResponse' });
    expect(observed.delivery!.url).to.match(/\/acs$/);
    expect(observed.delivery!.messageBytes).to.be.greaterThan(500);
    expect(observed.delivery!.answer).to.have.property('status');
  });
});
