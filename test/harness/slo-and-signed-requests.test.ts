import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTarget } from '../../harness/src/env/embedded-target.js';
import { ExternalTarget, loadTargetFile } from '../../harness/src/env/external-target.js';
import type { RunSpec, RunTarget, Target } from '../../harness/src/env/target.js';
import { HarnessError } from '../../harness/src/errors.js';
import type { CaseResult, Report } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import type { DriverId } from '../../harness/src/scenario/types.js';
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';
import { ROOT, spKeys } from '../helpers/world.js';

const SLO_SP = join(ROOT, 'scenarios/auth/slo-sp-initiated.yaml');
const SLO_IDP = join(ROOT, 'scenarios/auth/slo-idp-initiated.yaml');
const SIGNED = join(ROOT, 'scenarios/auth/signed-authn-requests.yaml');

/** The embedded reference SP, with what each run tells the harness about it changed by `alter`. */
class AlteredTarget implements Target {
  readonly kind = 'embedded' as const;
  readonly description = 'embedded reference SP (altered for a test)';
  private readonly inner = new EmbeddedTarget();
  constructor(private readonly alter: (t: RunTarget) => RunTarget) {}
  async prepareRun(spec: RunSpec): Promise<RunTarget> {
    return this.alter(await this.inner.prepareRun(spec));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function run(files: string[], target?: Target, driver: DriverId = 'http'): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'harness-slo-'));
  const runs = plan(loadScenarios(files), { idps: ['okta'], driver });
  try {
    return await runSuite(runs, {
      driver,
      workers: 1,
      stepTimeoutMs: 20_000,
      reportsDir: dir,
      reporters: [],
      ...(target ? { target } : {}),
    });
  } finally {
    await target?.close();
  }
}

const only = (report: Report): CaseResult => {
  expect(report.results).to.have.length(1);
  return report.results[0]!;
};

/** A scenario file in a temporary directory. */
function scenarioFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'harness-slo-scenario-')), 'case.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('harness: Single Logout and signed AuthnRequests', () => {
  it('SP-initiated logout: the LogoutRequest and LogoutResponse are the step evidence, the SP session is gone', async () => {
    const r = only(await run([SLO_SP]));
    expect(r.status, r.message).to.equal('passed');
    const step = r.steps.find((s) => s.name.startsWith('she signs out'))!;
    expect(step.evidence.samlRequests?.join('')).to.include('LogoutRequest');
    expect(step.evidence.saml).to.include('LogoutResponse');
    const observed = step.evidence.observed as { samlMessages: { type: string }[]; sessions: unknown[] };
    expect(observed.samlMessages.map((m) => m.type)).to.deep.equal(['LogoutRequest', 'LogoutResponse']);
    expect(observed.sessions).to.deep.equal([]);
  });

  it('in a real Chromium, both logout flows pass and their LogoutRequests and LogoutResponses are captured', async function () {
    this.timeout(120_000);
    const report = await run([SLO_SP, SLO_IDP], undefined, 'browser');
    for (const r of report.results) {
      expect(r.status, `${r.case}: ${r.message}`).to.equal('passed');
      const step = r.steps.find((s) => s.name.includes('signs out'))!;
      const seen = (step.evidence.observed as { samlMessages: { type: string; binding: string }[] })
        .samlMessages;
      expect(seen.map((m) => m.type)).to.deep.equal(['LogoutRequest', 'LogoutResponse']);
      expect(step.evidence.screenshot).to.be.a('string');
    }
    const idpInitiated = report.results.find((r) => r.case === 'auth.slo-idp-initiated')!;
    const posted = idpInitiated.steps.find((s) => s.name.includes('signs out'))!.evidence.observed as {
      samlMessages: { binding: string }[];
    };
    expect(posted.samlMessages[0]!.binding).to.equal('post');
  });

  it('fails the logout step when the LogoutResponse cannot reach the SP (the IdP was given a wrong SLO URL)', async () => {
    const r = only(
      await run(
        [SLO_SP],
        new AlteredTarget((t) => {
          const wrong = `${t.baseUrl}/saml/${t.workspace}/no-slo-here`;
          return { ...t, sloUrls: { redirect: wrong, post: wrong } };
        }),
      ),
    );
    expect(r.status).to.equal('failed');
    const step = r.steps.find((s) => s.status === 'failed')!;
    expect(step.name).to.match(/signs out/);
    expect(step.code).to.equal('ERR_CHECK_LOGOUT_REFUSED');
    expect(step.message).to.match(/status 404/);
  });

  it('IdP-initiated logout is not applicable against a target that declares no SLO URL', async () => {
    const r = only(await run([SLO_IDP], new AlteredTarget((t) => ({ ...t, sloUrls: undefined }))));
    expect(r.status).to.equal('not-applicable');
    expect(r.message).to.match(/sp\.sloUrl/);
  });

  it('signed AuthnRequests: not applicable without the SP signing certificate; refused by the IdP with the wrong one', async () => {
    const none = only(
      await run([SIGNED], new AlteredTarget((t) => ({ ...t, signingCertificatePem: undefined }))),
    );
    expect(none.status).to.equal('not-applicable');
    expect(none.message).to.match(/signing certificate/);

    const untrusted = readFileSync(join(ROOT, 'fixtures/keys/untrusted.cert.pem'), 'utf8');
    const wrong = only(
      await run([SIGNED], new AlteredTarget((t) => ({ ...t, signingCertificatePem: untrusted }))),
    );
    expect(wrong.status).to.equal('failed');
    expect(wrong.steps.find((s) => s.status === 'failed')?.code).to.equal('ERR_CHECK_IDP_REFUSED');
  });

  it('a login that expects the IdP to refuse fails when the IdP signs the user in', async () => {
    const file = scenarioFile(`case: test.expect-refused
title: the IdP must refuse, and does not
requirements: [SAML test]
steps:
  - login: { user: maria.garcia@acme.example, expectRefused: true }
`);
    const r = only(await run([file]));
    expect(r.status).to.equal('failed');
    expect(r.steps.find((s) => s.status === 'failed')?.code).to.equal('ERR_CHECK_IDP_NOT_REFUSED');
  });

  describe('against an external target file that declares sloUrl, logoutUrl and signingCertFile', () => {
    let sp: RunningSp;
    let dir: string;
    before(async () => {
      sp = await startSp({ keyPair: spKeys() });
      dir = mkdtempSync(join(tmpdir(), 'harness-slo-target-'));
    });
    after(() => sp.close());

    const targetFile = (sp_: Record<string, unknown>) => {
      const file = join(dir, `target-${Object.keys(sp_).join('-')}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          name: 'reference SP over HTTP',
          sp: { loginUrl: `${sp.url}/w/{workspace}`, ...sp_ },
          signedIn: { text: 'Signed in as {email}' },
          admin: { baseUrl: sp.url, token: sp.adminToken },
          observer: { baseUrl: sp.url, token: sp.adminToken },
        }),
      );
      return file;
    };

    it('runs the logout and signed-request cases with what the file declares', async () => {
      writeFileSync(join(dir, 'sp.cert.pem'), spKeys().certificatePem);
      // One case per SP: further workspaces of one organisation ask members to verify their email.
      for (const scenario of [SLO_SP, SLO_IDP, SIGNED]) {
        await sp.close();
        sp = await startSp({ keyPair: spKeys() });
        const file = targetFile({
          sloUrl: `${sp.url}/saml/{workspace}/slo`,
          logoutUrl: `${sp.url}/saml/{workspace}/logout`,
          signingCertFile: 'sp.cert.pem',
          pages: { signedOut: `${sp.url}/w/{workspace}/signed-out` },
        });
        const r = only(await run([scenario], new ExternalTarget(loadTargetFile(file))));
        expect([r.case, r.status, r.message]).to.deep.equal([r.case, 'passed', undefined]);
      }
    });

    it('refuses a signingCertFile it cannot read, or a signingCertificate that is not PEM, with ERR_TARGET_FILE', () => {
      const bad: Record<string, string>[] = [
        { signingCertFile: 'missing.pem' },
        { signingCertificate: 'MIIB…' },
      ];
      for (const sp_ of bad) {
        const file = targetFile(sp_);
        expect(() => loadTargetFile(file), JSON.stringify(sp_))
          .to.throw(HarnessError)
          .with.property('code', 'ERR_TARGET_FILE');
      }
    });
  });
});
