import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { InputError } from '../../harness/src/errors.js';
import { loadScenarioText, loadScenarios } from '../../harness/src/scenario/load.js';
import { ROOT } from '../helpers/world.js';

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('harness scenario validation', () => {
  it('points an unknown key at its file, line, column and key path', () => {
    const e = problemsOf(() =>
      loadScenarios([join(ROOT, 'test/fixtures/scenarios/invalid/unknown-key.yaml')]),
    );
    expect(e.code).to.equal('ERR_SCENARIO_INVALID');
    const unknown = e.problems.find((p) => p.path === 'steps[0].login.flw');
    expect(unknown).to.include({
      file: 'test/fixtures/scenarios/invalid/unknown-key.yaml',
      line: 7,
      column: 7,
    });
    expect(unknown?.message).to.equal('unknown key "flw"');
    const missing = e.problems.find((p) => p.path === 'steps[1].expect.member');
    expect(missing).to.include({ line: 9 });
    expect(missing?.message).to.equal('missing required key "email"');
  });

  it('names the allowed values of an enum', () => {
    const text = `case: jit.x\ntitle: t\nrequirements: ['seed:000 x']\nidps: [okta, ping]\nsteps:\n  - visit: { path: /w/acme }\n`;
    const e = problemsOf(() => loadScenarioText(text, 'mem.yaml'));
    expect(e.problems[0]).to.include({ path: 'idps[1]', line: 4 });
    expect(e.problems[0]?.message).to.include('"okta", "onelogin", "entra", "google"');
  });

  it('reports YAML syntax errors with ERR_SCENARIO_YAML and a line', () => {
    const e = problemsOf(() => loadScenarioText('case: jit.x\ntitle: [unclosed\n', 'broken.yaml'));
    expect(e.code).to.equal('ERR_SCENARIO_YAML');
    expect(e.problems[0]?.line).to.be.greaterThan(1);
  });

  it('accepts every bundled scenario', () => {
    expect(loadScenarios([join(ROOT, 'scenarios')]).length).to.be.greaterThan(0);
  });

  it('exits with code 2 from the CLI and prints file:line:column path: message', () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/idp-harness.js'), 'run', 'test/fixtures/scenarios/invalid'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('ERR_SCENARIO_INVALID');
    expect(r.stderr).to.include(
      'test/fixtures/scenarios/invalid/unknown-key.yaml:7:7  steps[0].login.flw: unknown key "flw"',
    );
  });

  it('exits with code 2 for a bad option', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/idp-harness.js'), 'run', '--idp', 'ping'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('unknown IdP ping');
  });
});
