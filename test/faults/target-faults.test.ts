import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunTarget, Target } from '../../harness/src/env/target.js';
import type { Report, StepResult } from '../../harness/src/model.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import type { DriverId } from '../../harness/src/scenario/types.js';
import { ROOT } from '../helpers/world.js';
import { FaultyTarget, type FaultPlan } from './faulty-sp.js';

const ACS = { method: 'POST', path: /^\/saml\/acme\/acs/ };
const MEMBERS = { method: 'GET', path: /\/api\/admin\/workspaces\/acme\/members/ };

/** Processes whose parent is this test process, except the TypeScript loader's own compiler service. */
function children(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/\b(ps|esbuild)$/.test(l));
}

async function runWith(
  plans: FaultPlan[],
  driver: DriverId = 'http',
): Promise<{ report: Report; target: FaultyTarget }> {
  const target = await FaultyTarget.start(plans);
  const runs = plan(loadScenarios([join(ROOT, 'scenarios/jit/new-user.yaml')]), {
    idps: ['okta', 'onelogin', 'entra'].slice(0, plans.length) as ('okta' | 'onelogin' | 'entra')[],
    driver,
  });
  const report = await runSuite(runs, {
    driver,
    workers: 1,
    stepTimeoutMs: driver === 'browser' ? 15_000 : 2_000,
    reportsDir: mkdtempSync(join(tmpdir(), 'faults-')),
    reporters: [],
    target,
  });
  return { report, target };
}

const failingStep = (report: Report, i: number) => report.results[i]!.steps.find((s) => s.status === 'error');

describe('harness under faults: a broken target gives error results, the run goes on, nothing is left running', function () {
  this.timeout(90_000);
  let before: string[];
  beforeEach(() => {
    before = children();
  });
  afterEach(() => {
    expect(children(), 'processes left behind').to.deep.equal(before);
  });

  it('the SP is killed (SIGKILL) mid-scenario, and another hangs at its ACS: two errors, then a passing run', async () => {
    const { report, target } = await runWith([
      { fault: 'crash', on: ACS },
      { fault: 'hang', on: ACS },
      { fault: 'none', on: ACS },
    ]);
    expect(report.results.map((r) => r.status)).to.deep.equal(['error', 'error', 'passed']);
    expect(report.summary).to.include({ passed: 1, errors: 2, failed: 0 });

    const crash = failingStep(report, 0)!;
    expect(crash.code).to.equal('ERR_TARGET_UNREACHABLE');
    expect(crash.message).to.match(/POST http:\/\/127\.0\.0\.1:\d+\/saml\/acme\/acs failed/);
    expect(target.started[0]!.events).to.deep.equal(['crash on POST /saml/acme/acs']);
    expect(report.results[0]!.steps.at(-1)!.status).to.equal('skipped');

    const hang = failingStep(report, 1)!;
    expect(hang.code).to.equal('ERR_STEP_TIMEOUT');
    expect(hang.message).to.match(/2000 ms|timeout/i);
    expect(hang.durationMs).to.be.lessThan(10_000);

    expect(target.disposed).to.have.length(3);
    expect(target.started.every((sp) => sp.exited)).to.equal(true);
  });

  it('the SP answers garbage, closes the connection, or sends broken JSON to the observer: each an error with its cause', async () => {
    const { report } = await runWith([
      { fault: 'garbage', on: ACS },
      { fault: 'close', on: ACS },
      { fault: 'garbage-json', on: MEMBERS },
    ]);
    expect(report.results.map((r) => r.status)).to.deep.equal(['error', 'error', 'error']);
    const [garbage, closed, json] = [0, 1, 2].map((i) => failingStep(report, i)!) as [
      StepResult,
      StepResult,
      StepResult,
    ];
    expect(garbage.code).to.equal('ERR_TARGET_PROTOCOL');
    expect(garbage.message).to.match(/\/saml\/acme\/acs answered with something that is not HTTP/);
    expect(closed.code).to.equal('ERR_TARGET_UNREACHABLE');
    expect(closed.message).to.match(/\/saml\/acme\/acs failed/);
    expect(json.code, json.message).to.equal('ERR_TARGET_PROTOCOL');
    expect(json.message).to.match(/non-JSON/);
  });

  it('with the browser driver, a killed SP is an error and Chromium is closed afterwards', async () => {
    const { report } = await runWith([{ fault: 'crash', on: ACS }], 'browser');
    expect(report.results[0]!.status).to.equal('error');
    const step = failingStep(report, 0)!;
    expect(step.code).to.equal('ERR_TARGET_UNREACHABLE');
    expect(step.message).to.match(/POST http:\/\/127\.0\.0\.1:\d+\/saml\/acme\/acs failed \(net::ERR_/);
  });
});

describe('harness under faults: a target that is slow to prepare', () => {
  it('gives an error naming the timeout, and disposes the run target once it does become ready', async () => {
    let disposed = 0;
    const slow: Target = {
      kind: 'external',
      description: 'a target that needs longer than a step to prepare',
      prepareRun: () =>
        new Promise<RunTarget>((resolve) =>
          setTimeout(
            () =>
              resolve({
                baseUrl: 'http://127.0.0.1:9',
                workspace: 'acme',
                spEntityId: 'urn:sp',
                acsUrl: 'http://127.0.0.1:9/acs',
                loginUrl: 'http://127.0.0.1:9/',
                pages: { home: 'http://127.0.0.1:9/' },
                observer: null,
                configureSaml: async () => undefined,
                signedIn: async () => ({ kind: 'none', evidence: 'never signed in' }),
                dispose: async () => {
                  disposed++;
                },
              }),
            400,
          ),
        ),
      close: async () => undefined,
    };
    const runs = plan(loadScenarios([join(ROOT, 'scenarios/jit/new-user.yaml')]), {
      idps: ['okta'],
      driver: 'http',
    });
    const report = await runSuite(runs, {
      driver: 'http',
      workers: 1,
      stepTimeoutMs: 100,
      reportsDir: mkdtempSync(join(tmpdir(), 'faults-')),
      reporters: [],
      target: slow,
    });
    expect(report.results[0]!.status).to.equal('error');
    expect(report.results[0]!.message).to.match(
      /^ERR_STEP_TIMEOUT: preparing the target did not finish within 100 ms/,
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(disposed).to.equal(1);
  });
});
