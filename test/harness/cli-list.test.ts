import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/src/errors.js';
import { buildProgram } from '../../harness/src/cli.js';
import { loadCatalogue } from '../../harness/src/runner/catalogue.js';
import { findScenarioFiles } from '../../harness/src/scenario/load.js';
import { ROOT } from '../helpers/world.js';

async function list(...args: string[]): Promise<string> {
  let out = '';
  const program = buildProgram({ out: (s) => void (out += s), err: (s) => void (out += s) }, () => {});
  await program.parseAsync(['list', ...args], { from: 'user' });
  return out;
}

describe('harness: idp-harness list', () => {
  it('shows every case of scenarios/catalogue.yaml, and every IdP of an implemented case as runs or not-applicable with a reason', async () => {
    const out = await list();
    for (const g of loadCatalogue())
      for (const id of g.cases) expect(out).to.match(new RegExp(`^  ${id.replace(/\./g, '\\.')}[ -]`, 'm'));
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  jit.new-user '));
    expect(lines.slice(at + 1, at + 5).map((l) => l.trim().split(/\s+/)[0])).to.deep.equal([
      'okta',
      'onelogin',
      'entra',
      'google',
    ]);
    for (const line of out.split('\n').filter((l) => /^ {6}\S/.test(l)))
      expect(line).to.match(
        /^ {6}(okta|onelogin|entra|google|no IdP) +(runs|missing|not-applicable: .+|skipped: .+)$/,
      );
  });

  it('shows the requirements of each case with --requirements: the seed passage it checks', async () => {
    const out = await list(
      '--requirements',
      '--grep',
      'okta-convert-assignments|entra-graph-extension-roles',
    );
    expect(out).to.match(/^ {2}scim\.okta-convert-assignments /m);
    expect(out).to.match(
      /^ {4}requires {2}seed:002 Convert user assignments to group assignments — "You must convert individual users/m,
    );
    expect(out).to.match(/^ {2}scim\.entra-graph-extension-roles /m);
    expect(out).to.match(/^ {4}requires {2}seed:004 .*Do not use appId/m);
    expect(await list('--grep', 'okta-convert-assignments')).to.not.include('requires');
  });

  it('makes a case with no scenario file visible as missing', async () => {
    const out = await list(join(ROOT, 'scenarios/jit/new-user.yaml'));
    expect(out).to.match(/^ {2}jit\.new-user +An unknown user/m);
    expect(out).to.include(
      '  jit.defaults  MISSING: no scenario file implements it yet\n      okta      missing\n',
    );
    expect(out).to.match(
      /^1 catalogue cases implemented, \d+ missing; 1 scenario files, 4 case × IdP cells, 4 runnable/m,
    );
  });

  it('marks the reason of a not-applicable profile', async () => {
    const out = await list(join(ROOT, 'test/harness/fixtures/suite'));
    expect(out).to.include('  fixture.not-on-google');
    expect(out).to.include('      google    not-applicable: the fixture says so\n');
  });

  it('reads its catalogue from scenarios/catalogue.yaml, which is no scenario itself', async () => {
    const groups = loadCatalogue();
    expect(groups.map((g) => g.group)).to.include.members(['JIT', 'SAML security', 'SCIM protocol']);
    expect(groups.find((g) => g.group === 'SCIM protocol')?.family).to.equal('scim.rfc.');
    const files = findScenarioFiles([join(ROOT, 'scenarios')]);
    expect(files).to.not.include(join(ROOT, 'scenarios/catalogue.yaml'));
    let help = '';
    const program = buildProgram({ out: (s) => void (help += s), err: (s) => void (help += s) }, () => {});
    await program.parseAsync(['list', '--help'], { from: 'user' }).catch(() => undefined);
    expect(help).to.include('scenarios/catalogue.yaml');
    expect(help).to.not.match(/design|shared/);
  });

  it('refuses a malformed catalogue with its file, line and key path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      const file = join(dir, 'catalogue.yaml');
      writeFileSync(
        file,
        'groups:\n  - group: JIT\n    cases: [jit.new-user]\n  - group: Oops\n    case: [x.y]\n',
      );
      let err: unknown;
      try {
        loadCatalogue(file);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(InputError);
      const e = err as InputError;
      expect(e.code).to.equal('ERR_SCENARIO_INVALID');
      const paths = e.problems.map((p) => `${p.line} ${p.path}`);
      expect(paths).to.include.members(['4 groups[1]', '5 groups[1].case']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
