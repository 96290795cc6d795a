import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTarget } from '../../harness/src/env/embedded-target.js';
import type { RunSpec, Target } from '../../harness/src/env/target.js';
import type { Report } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { HTTP_ONLY_GRADING } from '../../harness/src/steps/attack-grading.js';
import { ROOT } from '../helpers/world.js';

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

async function run(file: string, target?: Target): Promise<Report> {
  const runs = plan(loadScenarios([file]), { idps: ['okta'], driver: 'http' });
  try {
    return await runSuite(runs, {
      driver: 'http',
      workers: 1,
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
});
