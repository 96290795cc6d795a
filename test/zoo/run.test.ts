import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { exitCodeOf, runZoo, targetFileFor, type ZooOptions } from '../../targets/zoo/run.js';
import { IDPS, loadExpected } from '../../targets/zoo/expected.js';
import { zooSp, type ZooSp } from '../../targets/zoo/sps.js';

/**
 * The zoo runner end to end on the node-saml SP (npm only, so it runs on any machine): it starts
 * the SP through its start.sh, plays two attack cases with the target file, and compares with an
 * expected file. node-saml signs a person in from a validly signed assertion whatever the
 * Response's top-level status (it reads the status only when there is no assertion), so
 * saml.reject.status-not-success fails; an expected file that says it passes must be caught.
 */
describe('zoo: the runner against a real SP', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'zoo-run-'));
  const options = (over: Partial<ZooOptions>): ZooOptions => ({
    sps: [zooSp('node-saml')],
    idps: ['okta'],
    grep: '^saml\\.reject\\.(unsigned|status-not-success) ',
    update: false,
    reportsDir: join(dir, 'reports'),
    jobs: 1,
    log: () => undefined,
    ...over,
  });

  it('reports the verdict that differs from the expected file, and only that one (exit 1)', async () => {
    const wrong = join(dir, 'wrong-expected.json');
    writeFileSync(
      wrong,
      JSON.stringify({
        sp: 'node-saml',
        cases: {
          'saml.reject.unsigned': { status: 'passed' },
          'saml.reject.status-not-success': { status: 'passed' },
          'saml.reject.replay': { status: 'failed', reason: 'not run here: left out by --grep' },
        },
      }),
    );
    const outcomes = await runZoo(options({ expectedFile: () => wrong }));
    const [x] = outcomes;
    expect(x!.broken, x!.broken).to.equal(undefined);
    expect(x!.results.map((r) => [r.case, r.status]).sort()).to.deep.equal([
      ['saml.reject.status-not-success', 'failed'],
      ['saml.reject.unsigned', 'passed'],
    ]);
    expect(x!.differences.map((d) => [d.case, d.idp, d.expected, d.actual])).to.deep.equal([
      ['saml.reject.status-not-success', 'okta', 'passed', 'failed'],
    ]);
    expect(exitCodeOf(outcomes)).to.equal(1);
  });

  it('--update with --grep rewrites the cases it ran and keeps the others', async () => {
    const file = join(dir, 'update-expected.json');
    writeFileSync(
      file,
      JSON.stringify({
        sp: 'node-saml',
        cases: {
          'saml.reject.replay': { status: 'failed', reason: 'not run here: left out by --grep' },
          'saml.reject.unsigned': { status: 'error', reason: 'a stale verdict, to be rewritten' },
        },
      }),
    );
    const outcomes = await runZoo(options({ update: true, idps: [...IDPS], expectedFile: () => file }));
    expect(outcomes[0]!.broken, outcomes[0]!.broken).to.equal(undefined);
    const written = loadExpected(file);
    expect(Object.keys(written.cases)).to.deep.equal([
      'saml.reject.replay',
      'saml.reject.status-not-success',
      'saml.reject.unsigned',
    ]);
    expect(written.cases['saml.reject.replay']!.reason).to.equal('not run here: left out by --grep');
    expect(written.cases['saml.reject.unsigned']!.status).to.not.equal('error');
  });

  it('an SP whose packages are missing is reported as such, without starting it (exit 2)', async () => {
    const ghost: ZooSp = {
      ...zooSp('simplesamlphp'),
      name: 'ghost',
      needs: { files: ['/nonexistent/zoo/sp'], debianPackages: ['ghost-sp'] },
    };
    const outcomes = await runZoo(options({ sps: [ghost] }));
    expect(outcomes[0]!.broken).to.match(/apt-get install -y ghost-sp/);
    expect(exitCodeOf(outcomes)).to.equal(2);
  });

  it("fits an SP's target file to the ports it was started on, leaving {idp} to the harness", () => {
    const sp = zooSp('samlify');
    const t = parseYaml(targetFileFor(sp, { ports: { sp: 40001, idp: 40002 } })) as {
      sp: Record<string, string>;
      idp: { port: number };
    };
    expect(t.sp.loginUrl).to.equal('http://127.0.0.1:40001/{idp}/');
    expect(t.sp.metadataUrl).to.equal('http://127.0.0.1:40001/{idp}/metadata');
    expect(t.idp.port).to.equal(40002);
    expect(isAbsolute(t.sp.signingCertFile!)).to.equal(true);
  });
});
