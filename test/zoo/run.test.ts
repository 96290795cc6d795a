import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { exitCodeOf, runZoo, targetFileFor, type ZooOptions } from '../../targets/zoo/run.js';
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
          'saml.reject.unsigned': { status: 'not-applicable', reason: 'no recogniser for this outcome' },
          'saml.reject.status-not-success': { status: 'passed' },
          'saml.reject.replay': { status: 'failed', reason: 'not run here: left out by --grep' },
        },
      }),
    );
    const outcomes = await runZoo(options({ expectedFile: () => wrong }));
    const [x] = outcomes;
    expect(x!.broken, x!.broken).to.equal(undefined);
    expect(x!.results.map((r) => [r.case, r.status]).sort()).to.deep.equal([
      ['saml.reject.status-not-success', 'not-applicable'],
      ['saml.reject.unsigned', 'not-applicable'],
    ]);
    expect(x!.differences.map((d) => [d.case, d.idp, d.expected, d.actual])).to.deep.equal([
      ['saml.reject.status-not-success', 'okta', 'passed', 'not-applicable'],
    ]);
    expect(exitCodeOf(outcomes)).to.equal(1);
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

  it("fits an SP's target file to the ports it was started on and to one IdP profile", () => {
    const sp = zooSp('samlify');
    const t = parseYaml(targetFileFor(sp, { ports: { sp: 40001, idp: 40002 } }, 'entra')) as {
      sp: Record<string, string>;
      idp: { port: number };
    };
    expect(t.sp.loginUrl).to.equal('http://127.0.0.1:40001/entra/');
    expect(t.sp.metadataUrl).to.equal('http://127.0.0.1:40001/entra/metadata');
    expect(t.idp.port).to.equal(40002);
    expect(isAbsolute(t.sp.signingCertFile!)).to.equal(true);
  });
});
