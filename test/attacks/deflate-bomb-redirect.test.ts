import { expect } from 'chai';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { EMBEDDED_CAPABILITIES } from '../../harness/src/env/capabilities.js';
import { EmbeddedTarget } from '../../harness/src/env/embedded-target.js';
import type { RunSpec, Target } from '../../harness/src/env/target.js';
import type { Report } from '../../harness/src/model.js';
import { whyNotApplicable } from '../../harness/src/runner/applicability.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { DOS_MEMORY_BOUND_MIB, type MemoryEvidence } from '../../harness/src/steps/attack-memory.js';
import { armMutation, deliverLogoutRequest } from '../../mock-idp/src/attacks/index.js';
import { REDIRECT_BOMB_MIB } from '../../mock-idp/src/attacks/resource-exhaustion.js';
import { signedRedirectQuery } from '../../mock-idp/src/saml/message-signature.js';
import type { Tenant } from '../../mock-idp/src/tenant.js';
import { runScenarios } from '../helpers/flawed-sp.js';
import { ROOT, errorCodeOf, startWorld, type World } from '../helpers/world.js';
import { MARIA, signInWith, spState, strictPolicy } from './forge.js';
import { parse, redirectLogoutInflatedWhole } from './naive-verifiers.js';
import { EmbeddedWithout } from '../vulnerable-sps/run-cases.js';

const MUTATION = 'saml.reject.deflate-bomb-redirect';
const SCENARIO = join(ROOT, 'scenarios/saml-reject/deflate-bomb-redirect.yaml');
const MIB = 1024 * 1024;
/** Only keeps the naive inflater in this test safe: eight times what the bomb inflates to. */
const TEST_CAP = 8 * REDIRECT_BOMB_MIB * MIB;

/** The query the tenant's IdP-initiated logout sends to the SP's SLO URL when the bomb is armed. */
function bombQuery(tenant: Tenant): string {
  armMutation(tenant, MUTATION, { victim: MARIA });
  const hostile = deliverLogoutRequest(tenant, MARIA, new Date());
  if (hostile?.binding !== 'redirect') throw new Error('the deflate bomb travels over HTTP-Redirect');
  const algorithm = tenant.setup.app.signing?.algorithm ?? tenant.profile.defaultSigning.algorithm;
  return signedRedirectQuery(
    'SAMLRequest',
    hostile.deflated.toString('base64'),
    undefined,
    tenant.key.privateKey,
    algorithm,
  );
}

const requestParam = (query: string) => new URLSearchParams(query).get('SAMLRequest')!;

describe(`${MUTATION}: a deflate bomb on the HTTP-Redirect binding (CVE-2025-25293, CVE-2026-2575)`, () => {
  for (const vendor of ['okta', 'onelogin', 'entra']) {
    describe(`${vendor} profile`, () => {
      let world: World;
      before(async () => {
        world = await startWorld({ vendor });
        await strictPolicy(world);
        world.tenant.setup.app.sloUrl = `${world.sp.url}/saml/acme/slo`;
      });
      after(() => world.close());

      it(`is a bomb: about 12 KiB in the URL, signed by the IdP, which an SP inflating with no bound takes for ${REDIRECT_BOMB_MIB} MiB naming the victim`, () => {
        const query = bombQuery(world.tenant);
        expect(query.length).to.be.within(10 * 1024, 13 * 1024);
        const { nameId, inflatedBytes } = redirectLogoutInflatedWhole(
          query,
          world.tenant.certificatePem,
          TEST_CAP,
        );
        expect(nameId).to.equal(world.tenant.nameIdFor(world.tenant.user(MARIA)!));
        expect(inflatedBytes).to.be.above(REDIRECT_BOMB_MIB * MIB);
        expect(inflatedBytes).to.be.above(600 * requestParam(query).length);
        // The same verifier refuses the query once it is no longer the IdP's.
        const tampered = query.replace(
          /SAMLRequest=(.)/,
          (_, c: string) => `SAMLRequest=${c === 'A' ? 'B' : 'A'}`,
        );
        expect(() => redirectLogoutInflatedWhole(tampered, world.tenant.certificatePem, TEST_CAP)).to.throw(
          /signature/,
        );
      });

      it('the reference SP refuses it at once with ERR_SAML_TOO_LARGE and ends no session', async () => {
        expect((await signInWith(world)).status).to.equal(303);
        const before = await spState(world);
        expect(before.sessions).to.deep.equal([{ email: MARIA }]);
        const started = performance.now();
        const res = await fetch(`${world.tenant.setup.app.sloUrl}?${bombQuery(world.tenant)}`, {
          redirect: 'manual',
        });
        const text = await res.text();
        expect(performance.now() - started).to.be.below(2000);
        expect(res.status).to.equal(403);
        expect(errorCodeOf(text)).to.equal('ERR_SAML_TOO_LARGE');
        expect(await spState(world)).to.deep.equal(before);
      });
    });
  }

  it('cannot be armed for Google Workspace, which has no Single Logout', async () => {
    const world = await startWorld({ vendor: 'google' });
    try {
      world.tenant.setup.app.sloUrl = `${world.sp.url}/saml/acme/slo`;
      expect(() => armMutation(world.tenant, MUTATION, { victim: MARIA }))
        .to.throw()
        .with.property('code', 'ERR_MUTATION_PRECONDITION');
    } finally {
      await world.close();
    }
  });
});

/** What a naive SLO endpoint keeps of every message it inflated (a message log), until the test ends. */
const held: unknown[] = [];

/**
 * The reference SP behind an SLO endpoint with the flaw of CVE-2025-25293: it inflates
 * SAMLRequest with no bound, reads it as text and parses it, keeps it, and only then passes the
 * query on to the SP, which refuses it. Its answer is in time and a refusal: only its memory
 * shows what it did.
 */
class UnboundedInflateSlo implements Target {
  readonly kind = 'external';
  readonly description = 'reference SP behind a Single Logout endpoint that inflates with no bound';
  /** Bytes the endpoint inflated, per message. */
  readonly inflated: number[] = [];
  private readonly inner = new EmbeddedTarget();
  private readonly server = createServer((req, res) => void this.relay(req, res));
  private sloUrl = '';

  async prepareRun(spec: RunSpec) {
    const run = await this.inner.prepareRun(spec);
    this.sloUrl = run.sloUrls!.redirect!;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const facade = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slo`;
    return { ...run, sloUrls: { redirect: facade, post: facade } };
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawQuery = (req.url ?? '').split('?')[1] ?? '';
    const encoded = new URLSearchParams(rawQuery).get('SAMLRequest');
    if (encoded) {
      const inflated = inflateRawSync(Buffer.from(encoded, 'base64'), { maxOutputLength: TEST_CAP });
      const text = inflated.toString('utf8');
      held.push(inflated, text, parse(text));
      this.inflated.push(inflated.length);
    }
    const answer = await fetch(`${this.sloUrl}?${rawQuery}`, { redirect: 'manual' });
    const location = answer.headers.get('location');
    res
      .writeHead(answer.status, { 'content-type': 'text/html', ...(location ? { location } : {}) })
      .end(await answer.text());
  }

  async close() {
    this.server.close();
    await this.inner.close();
  }
}

const run = (target?: Target): Promise<Report> => runScenarios([SCENARIO], ['okta'], target);

const memoryOf = (report: Report) =>
  (report.results[0]!.steps.at(-1)!.evidence.observed as { memory?: MemoryEvidence }).memory;

describe(`harness: ${MUTATION} is graded on the time, the status and the memory of the SP's answer`, () => {
  after(() => void held.splice(0));

  it("passes the reference SP, with the growth of its process's memory as evidence", async () => {
    const report = await run();
    const result = report.results[0]!;
    expect(result.status, result.message).to.equal('passed');
    const observed = result.steps.at(-1)!.evidence.observed as Record<string, unknown>;
    expect(observed.refusal).to.include({ errorCode: 'ERR_SAML_TOO_LARGE', status: 403 });
    expect(observed.answeredInMs).to.be.below(5000);
    const memory = memoryOf(report);
    expect(memory).to.include({ boundMiB: DOS_MEMORY_BOUND_MIB });
    expect(memory)
      .to.have.property('where')
      .that.matches(/process the embedded SP runs in/);
    expect((memory as { grewMiB: number }).grewMiB).to.be.at.most(DOS_MEMORY_BOUND_MIB);
  });

  it('fails an SP that inflates all of it before refusing it in time, on its memory', async () => {
    const target = new UnboundedInflateSlo();
    const report = await run(target);
    const result = report.results[0]!;
    expect(target.inflated).to.have.length(1);
    expect(target.inflated[0]).to.be.above(REDIRECT_BOMB_MIB * MIB);
    expect(result.status).to.equal('failed');
    expect(result.steps.at(-1)!.code).to.equal('ERR_CHECK_ATTACK_MEMORY');
    expect(result.message).to.match(
      /memory grew by [\d.]+ MiB while it answered saml\.reject\.deflate-bomb-redirect/,
    );
  });

  it('is not applicable, with the reason, to a target without a Single Logout URL for HTTP-Redirect', () => {
    const scenario = loadScenarios([SCENARIO])[0]!.scenario;
    expect(whyNotApplicable(scenario, EMBEDDED_CAPABILITIES)).to.equal(undefined);
    expect(
      whyNotApplicable(scenario, { ...EMBEDDED_CAPABILITIES, slo: { redirect: false, post: true } }),
    ).to.match(/Single Logout over HTTP-Redirect needs the SP's SLO URL for that binding/);
  });

  it('says that the memory of an SP it cannot see is not graded, and grades time and status', async () => {
    const report = await run(new EmbeddedWithout('memory', 'reference SP whose memory is not observable'));
    expect(report.results[0]!.status).to.equal('passed');
    expect(memoryOf(report))
      .to.have.property('notObservable')
      .that.matches(/time and status/);
  });
});
