import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTarget } from '../../harness/src/env/embedded-target.js';
import type { RunSpec, Target } from '../../harness/src/env/target.js';
import type { Report } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { HTTP_ONLY_GRADING } from '../../harness/src/steps/attack-grading.js';
import { loadSetupFile } from '../../mock-idp/src/index.js';
import { signingKeyFromPem } from '../../mock-idp/src/keys.js';
import { logoutRequest } from '../../mock-idp/src/saml/logout.js';
import { toWire } from '../../mock-idp/src/xml/element.js';
import { signEnveloped } from '../../mock-idp/src/xmldsig/sign.js';
import { ROOT } from '../helpers/world.js';
import { WithoutCertificate } from '../vulnerable-sps/run-cases.js';
import { SAML, kids, logoutAnySignature, parse } from './naive-verifiers.js';

/** The embedded reference SP, with its ACS URL (where the IdP posts) moved to `acsUrl`. */
class MovedAcs implements Target {
  readonly kind = 'external';
  readonly description = 'reference SP whose ACS URL never answers';
  private readonly inner = new EmbeddedTarget();
  constructor(private readonly acsUrl: string) {}
  async prepareRun(spec: RunSpec) {
    return { ...(await this.inner.prepareRun(spec)), acsUrl: this.acsUrl };
  }
  close() {
    return this.inner.close();
  }
}

/** The embedded reference SP, posing as one configured by hand to trust a fixed tenant. */
class ConfiguredByHand implements Target {
  readonly kind = 'external';
  readonly description = 'reference SP configured by hand';
  private readonly inner = new EmbeddedTarget();
  async prepareRun(spec: RunSpec) {
    return { ...(await this.inner.prepareRun(spec)), keepIdpTenant: true };
  }
  close() {
    return this.inner.close();
  }
}

/**
 * The reference SP behind a Single Logout endpoint with the flaw of GHSA-63ch-w8pw-4mf2: a
 * LogoutRequest counts as the IdP's when any signature inside verifies, and the NameID it names
 * is logged out, for real, by a genuine IdP-signed LogoutRequest passed on to the SP.
 */
class NaiveSlo implements Target {
  readonly kind = 'external';
  readonly description = 'reference SP behind a Single Logout endpoint that takes any valid signature';
  private readonly inner = new EmbeddedTarget();
  private readonly idp = loadSetupFile(join(ROOT, 'fixtures/setups/okta.yaml')).signingKey!;
  private readonly server = createHttpServer((req, res) => void this.relay(req, res));
  private sloUrl = '';

  async prepareRun(spec: RunSpec) {
    const run = await this.inner.prepareRun(spec);
    this.sloUrl = run.sloUrls!.post!;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const facade = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slo`;
    return { ...run, sloUrls: { redirect: facade, post: facade } };
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const xml = Buffer.from(form.get('SAMLRequest') ?? '', 'base64').toString();
    let nameId: string;
    try {
      nameId = logoutAnySignature(xml, this.idp.certificatePem!);
    } catch {
      return void res.writeHead(403).end('refused');
    }
    const genuine = logoutRequest({
      issuer: kids(parse(xml).documentElement, SAML, 'Issuer')[0]?.textContent ?? '',
      destination: this.sloUrl,
      nameId,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      sessionIndex: undefined,
      now: new Date(),
    });
    const key = signingKeyFromPem({
      privateKeyPem: this.idp.privateKeyPem!,
      certificatePem: this.idp.certificatePem!,
    });
    signEnveloped(genuine, genuine, 1, key, { algorithm: 'rsa-sha256', prefix: 'ds' });
    const answer = await fetch(this.sloUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLRequest: Buffer.from(toWire(genuine)).toString('base64') }),
    });
    const location = answer.headers.get('location');
    res.writeHead(answer.status, location ? { location } : {}).end(await answer.text());
  }

  async close() {
    this.server.close();
    await this.inner.close();
  }
}

/** Writes a one-step attack case graded by expect.refused with `refused` (YAML flow mapping). */
function attackCase(mutation: string, refused: string, flow = 'sp-initiated'): string {
  const dir = mkdtempSync(join(tmpdir(), 'attack-scenario-'));
  const file = join(dir, 'case.yaml');
  writeFileSync(
    file,
    [
      `case: ${mutation}`,
      'title: a denial-of-service case with a time bound',
      'requirements: ["SAML Security Considerations 6.5"]',
      'given: { workspace: { environments: [DEV, TEST, PROD], customRoles: [mktg_ops], saml: { jit: true } } }',
      'steps:',
      `  - attack: { mutation: ${mutation}, user: maria.garcia@acme.example, flow: ${flow} }`,
      `    expect: { refused: ${refused} }`,
    ].join('\n'),
  );
  return file;
}

/** The embedded reference SP seen as an external SP without the observer API. */
class WithoutObserver implements Target {
  readonly kind = 'external';
  readonly description = 'reference SP without its observer API';
  private readonly inner = new EmbeddedTarget();
  async prepareRun(spec: RunSpec) {
    return { ...(await this.inner.prepareRun(spec)), observer: null };
  }
  close() {
    return this.inner.close();
  }
}

async function run(file: string, target?: Target, stepTimeoutMs?: number): Promise<Report> {
  const runs = plan(loadScenarios([file]), { idps: ['okta'], driver: 'http' });
  try {
    return await runSuite(runs, {
      driver: 'http',
      workers: 1,
      ...(stepTimeoutMs ? { stepTimeoutMs } : {}),
      reportsDir: mkdtempSync(join(tmpdir(), 'attack-grading-')),
      reporters: [],
      ...(target ? { target } : {}),
    });
  } finally {
    // A target handed to runSuite belongs to the caller, who closes it.
    await target?.close();
  }
}

describe('harness: saml.reject grading', () => {
  it('fails the case when the SP accepts the hostile response (SHA-1 allowed by policy)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attack-scenario-'));
    const file = join(dir, 'accepting.yaml');
    writeFileSync(
      file,
      [
        'case: saml.reject.weak-algorithm-sha1',
        'title: the SP keeps accepting SHA-1',
        'requirements: ["RFC6194"]',
        'given: { workspace: { environments: [DEV, TEST, PROD], customRoles: [mktg_ops], saml: { jit: true } } }',
        'steps:',
        '  - attack: { mutation: saml.reject.weak-algorithm-sha1, user: maria.garcia@acme.example }',
        '    expect: { refused: { errorCode: ERR_SAML_WEAK_ALGORITHM } }',
      ].join('\n'),
    );
    const report = await run(file);
    expect(report.results[0]!.status).to.equal('failed');
    expect(report.results[0]!.message).to.match(/accepted saml\.reject\.weak-algorithm-sha1/);
  });

  it('grades on state through the observer API against the reference SP', async () => {
    const report = await run(join(ROOT, 'scenarios/saml-reject/xsw-evil-assertion-before-signed.yaml'));
    const result = report.results[0]!;
    expect(result.status).to.equal('passed');
    const step = result.steps.at(-1)!;
    expect((step.evidence.observed as { grading?: string } | undefined)?.grading).to.match(
      /state through the observer API/,
    );
    expect(step.evidence.saml).to.include('mallory.admin@acme.example');
  });

  it('grades the HTTP outcome, and says so, against a target without the observer API', async () => {
    const report = await run(join(ROOT, 'scenarios/saml-reject/unsigned.yaml'), new WithoutObserver());
    const result = report.results[0]!;
    expect(result.status).to.equal('passed');
    expect((result.steps.at(-1)!.evidence.observed as { grading?: string } | undefined)?.grading).to.equal(
      HTTP_ONLY_GRADING,
    );
  });

  it('reports an unknown mutation as a scenario error, not as an SP failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attack-scenario-'));
    const file = join(dir, 'unknown.yaml');
    writeFileSync(
      file,
      [
        'case: saml.reject.no-such-thing',
        'title: a mutation the catalogue does not have',
        'requirements: ["SAML Core 5"]',
        'steps:',
        '  - attack: { mutation: saml.reject.no-such-thing, user: maria.garcia@acme.example }',
        '    expect: { refused: {} }',
      ].join('\n'),
    );
    const report = await run(file);
    expect(report.results[0]!.status).to.equal('error');
    expect(report.results[0]!.steps.at(-1)!.code).to.equal('ERR_SCENARIO_REFERENCE');
  });

  it('makes a case whose mutation encrypts for the SP not applicable when the target declares no certificate', async () => {
    const file = join(ROOT, 'scenarios/saml-reject/plaintext-beside-encrypted.yaml');
    const report = await run(file, new WithoutCertificate());
    expect(report.results[0]!.status).to.equal('not-applicable');
    expect(report.results[0]!.message).to.match(/no SP certificate/);
    expect((await run(file)).results[0]!.status).to.equal('passed');
  });

  describe('trust that fails open: the SP is configured from IdP metadata shaped for the case', () => {
    it('goes on when the SP refuses metadata without a signing key, and passes when the attack is refused', async () => {
      const report = await run(join(ROOT, 'scenarios/saml-reject/trust-no-signing-key.yaml'));
      expect(report.results[0]!.status).to.equal('passed');
      expect(report.results[0]!.steps[0]!.message).to.match(
        /SP refused the IdP metadata \(none\).*ERR_BAD_METADATA/,
      );
    });

    it('is not applicable to a target configured by hand, which never sees the shaped metadata', async () => {
      const report = await run(
        join(ROOT, 'scenarios/saml-reject/trust-key-without-use.yaml'),
        new ConfiguredByHand(),
      );
      expect(report.results[0]!.status).to.equal('not-applicable');
      expect(report.results[0]!.message).to.match(/configured by hand/);
    });
  });

  describe('XSW on logout messages: graded on the sessions the hostile LogoutRequest must not end', () => {
    const file = join(ROOT, 'scenarios/saml-reject/logout-request-wrapped.yaml');

    it('passes the reference SP, which refuses the wrapped LogoutRequest', async () => {
      expect((await run(file)).results[0]!.status).to.equal('passed');
    });

    it("fails an SP that takes any valid signature in a LogoutRequest and ends the victim's session", async () => {
      const report = await run(file, new NaiveSlo());
      expect(report.results[0]!.status).to.equal('failed');
      expect(report.results[0]!.message).to.match(/ended a session of maria\.garcia@acme\.example/);
    });
  });

  describe('denial-of-service cases are graded on the time to the refusal', () => {
    it('passes the reference SP, which refuses the deflate bomb within the bound', async () => {
      const report = await run(join(ROOT, 'scenarios/saml-reject/deflate-bomb.yaml'));
      expect(report.results[0]!.status).to.equal('passed');
      expect(report.results[0]!.steps.at(-1)!.evidence.observed).to.have.property('answeredInMs');
    });

    it('fails an SP that refuses, but later than the bound', async () => {
      const report = await run(attackCase('saml.reject.deflate-bomb', '{ within: 1ms }'));
      expect(report.results[0]!.status).to.equal('failed');
      expect(report.results[0]!.message).to.match(/took \d+ ms to answer saml\.reject\.deflate-bomb/);
    });

    /** Runs `refused` against an ACS that swallows the request (`hang`) or drops the connection (`reset`). */
    async function againstBrokenAcs(behaviour: 'hang' | 'reset', refused: string): Promise<Report> {
      const sockets = new Set<Socket>();
      const acs = createServer((s) => {
        sockets.add(s);
        if (behaviour === 'reset') s.once('data', () => s.resetAndDestroy());
      });
      await new Promise<void>((r) => acs.listen(0, '127.0.0.1', r));
      const { port } = acs.address() as AddressInfo;
      try {
        const file = attackCase('saml.reject.deep-nesting', refused, 'idp-initiated');
        return await run(file, new MovedAcs(`http://127.0.0.1:${port}/acs`), 5000);
      } finally {
        for (const s of sockets) s.destroy();
        acs.close();
      }
    }

    it('fails, not errors, an SP that never answers the hostile message', async () => {
      const report = await againstBrokenAcs('hang', '{ within: 1s }');
      expect(report.results[0]!.status).to.equal('failed');
      expect(report.results[0]!.message).to.match(
        /did not answer saml\.reject\.deep-nesting: no answer before the step ran out of time/,
      );
    });

    it('fails, not errors, an SP that drops the connection on the hostile message', async () => {
      const report = await againstBrokenAcs('reset', '{ within: 4s }');
      expect(report.results[0]!.status).to.equal('failed');
      expect(report.results[0]!.message).to.match(/did not answer saml\.reject\.deep-nesting: .*ECONNRESET/);
    });

    it('keeps a dropped connection a harness error when the case bounds no time', async () => {
      const report = await againstBrokenAcs('reset', '{}');
      expect(report.results[0]!.status).to.equal('error');
    });
  });
});
