import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTarget } from '../../harness/src/env/embedded-target.js';
import type { RunSpec, Target } from '../../harness/src/env/target.js';
import type { Report, CaseResult } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import type { IdpId } from '../../harness/src/scenario/types.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { ROOT } from '../helpers/world.js';

/** The file of a saml-reject case, by its name (`xsw-evil-assertion-before-signed`). */
export const rejectCase = (name: string): string => join(ROOT, 'scenarios/saml-reject', `${name}.yaml`);

/** Runs scenario files against `target` (the embedded reference SP when absent) on one IdP, over HTTP; closes `target`. */
export async function runCases(
  files: readonly string[],
  target?: Target,
  idp: IdpId = 'okta',
): Promise<Report> {
  const runs = plan(loadScenarios([...files]), { idps: [idp], driver: 'http' });
  try {
    return await runSuite(runs, {
      driver: 'http',
      workers: 1,
      reportsDir: mkdtempSync(join(tmpdir(), 'vulnerable-sps-')),
      reporters: [],
      ...(target ? { target } : {}),
    });
  } finally {
    // A target handed to runSuite belongs to the caller, who closes it.
    await target?.close();
  }
}

/** The result of one case in a report. */
export function resultOf(report: Report, caseId: string): CaseResult {
  const found = report.results.find((r) => r.case === caseId);
  if (!found) throw new Error(`no result for ${caseId} in ${report.results.map((r) => r.case).join(', ')}`);
  return found;
}

/** The embedded reference SP, seen as an external target that does not declare `field`. */
export class EmbeddedWithout implements Target {
  readonly kind = 'external';
  private readonly inner = new EmbeddedTarget();
  constructor(
    private readonly field: 'signingCertificatePem' | 'memory',
    readonly description: string,
  ) {}
  async prepareRun(spec: RunSpec) {
    const run = await this.inner.prepareRun(spec);
    delete run[this.field];
    return run;
  }
  close() {
    return this.inner.close();
  }
}

/** The embedded reference SP, not saying which certificate it has (so nothing can be encrypted for it or verified with it). */
export class WithoutCertificate extends EmbeddedWithout {
  constructor() {
    super('signingCertificatePem', 'reference SP without a declared certificate');
  }
}
