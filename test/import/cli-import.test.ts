import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildProgram } from '../../harness/src/cli.js';
import { ROOT } from '../helpers/world.js';
import { FIXTURES, fixture } from './helpers.js';

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  let code = 0;
  const program = buildProgram(
    { out: (s) => void (out += s), err: (s) => void (err += s) },
    (c) => (code = c),
  );
  await program.parseAsync(['import', ...args], { from: 'user' });
  return { out, err, code };
}

/** The CLI as a user runs it, for exit codes and standard input. */
const bin = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'idp-harness.js'), 'import', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    timeout: 120_000,
  });

describe('harness: idp-harness import', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'idp-import-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('-o writes the setup and prints the findings; --check prints every feature and exits 0 when all match', async () => {
    const out = join(dir, 'setups', 'acme-okta.yaml');
    const r = await cli(join(FIXTURES, 'okta-login.har'), '-o', out, '--check');
    expect(r.code).to.equal(0);
    expect(existsSync(out)).to.equal(true);
    expect(parse(readFileSync(out, 'utf8')).tenant).to.equal('acme-okta');
    expect(r.out).to.match(/^vendor: okta — okta \d+\/\d+/m);
    expect(r.out).to.match(
      /^ {2}login response: 2\. Response, from http:\/\/www\.okta\.com\/exk9zq8yw7xv6ut5s4r3/m,
    );
    expect(r.out).to.match(/^ {2}also: +1\. AuthnRequest/m);
    expect(r.out).to.match(
      /^round trip: minted a response from the setup: \d+ same, 0 not inferable, 0 differ$/m,
    );
    expect(r.out).to.match(/^ {2}same +signedElements: Response\+Assertion$/m);
    expect(r.out).to.match(/^ {2}PLACEHOLDER: role — /m);
  });

  it('without -o the setup goes to standard output and the findings to standard error', async () => {
    const r = await cli(join(FIXTURES, 'google-post-body.txt'));
    expect(r.out).to.match(/^# yaml-language-server: \$schema=/);
    expect(parse(r.out).vendor).to.equal('google');
    expect(r.err).to.match(/^vendor: google/m);
  });

  it('--check exits 1 and shows what differs when the setup does not reproduce the capture', async () => {
    const r = await cli(
      join(FIXTURES, 'okta-login.har'),
      '--vendor',
      'google',
      '--check',
      '-o',
      join(dir, 'wrong.yaml'),
    );
    expect(r.code).to.equal(1);
    expect(r.out).to.match(/^ {2}DIFFERS +issuerPattern: captured http:\/\/www\.okta\.com\/\{alnum\}/m);
  });

  it('exits 2 with the error code for a broken capture, an unknown vendor or a missing file', () => {
    const truncated = bin([join(FIXTURES, 'truncated-response.b64')]);
    expect(truncated.status).to.equal(2);
    expect(truncated.stderr).to.match(/^idp-harness: ERR_CAPTURE_MALFORMED: .*cut short/m);
    const missing = bin([join(dir, 'nothing-here.har')]);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.match(/^idp-harness: ERR_BAD_OPTION: /m);
    const vendor = bin(['--vendor', 'shibboleth', join(FIXTURES, 'okta-login.har')]);
    expect(vendor.status).to.equal(2);
  });

  it('reads standard input with -', () => {
    const r = bin(['-', '--tenant', 'from-stdin'], fixture('onelogin-response.b64'));
    expect(r.status, r.stderr).to.equal(0);
    expect(parse(r.stdout)).to.include({ tenant: 'from-stdin', vendor: 'onelogin' });
    expect(r.stderr).to.match(/^capture: a base64 message/m);
  });
});
