import { expect } from 'chai';
import { join } from 'node:path';
import { buildProgram } from '../../harness/src/cli.js';
import { CATALOGUE } from '../../harness/src/runner/catalogue.js';
import { ROOT } from '../helpers/world.js';

async function list(...args: string[]): Promise<string> {
  let out = '';
  const program = buildProgram({ out: (s) => void (out += s), err: (s) => void (out += s) }, () => {});
  await program.parseAsync(['list', ...args], { from: 'user' });
  return out;
}

describe('harness: idp-harness list', () => {
  it('shows every catalogue case of design §2, and every IdP of an implemented case as runs or not-applicable with a reason', async () => {
    const out = await list();
    for (const g of CATALOGUE)
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
        /^ {6}(okta|onelogin|entra|google) +(runs|missing|not-applicable: .+|skipped: .+)$/,
      );
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
});
