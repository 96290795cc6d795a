import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/src/cli.js';
import { loadTargetFile } from '../../harness/src/env/target-file.js';
import type { InputError } from '../../harness/src/errors.js';
import type { Report } from '../../harness/src/model.js';
import { loadSetupFile, startIdp } from '../../mock-idp/src/index.js';
import { ROOT } from '../helpers/world.js';

const TOKEN = 'black-box-admin-token';

/** Starts the reference SP as its own process, as a team would run it, and reads its URL from its output. */
async function startSpProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/idp-harness.js'), 'sp', '--port', '0', '--admin-token', TOKEN],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^sp-under-test listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the SP exited (${code}) before listening: ${out}`)));
  });
  return { url, child };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function admin(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).to.be.lessThan(300);
  return res.json() as Promise<unknown>;
}

async function runAgainst(targetFile: string, dir: string): Promise<{ code: number; report: Report }> {
  const out = join(dir, 'report.json');
  const code = await main([
    'run',
    join(ROOT, 'scenarios/jit/new-user.yaml'),
    '--idp',
    'okta',
    '--target',
    targetFile,
    '--reporter',
    `json=${out}`,
    '--no-progress',
    '--reports-dir',
    dir,
  ]);
  return { code, report: JSON.parse(readFileSync(out, 'utf8')) as Report };
}

describe('harness: an external target (the reference SP run as a separate process, treated as a black box)', function () {
  this.timeout(120_000);
  let sp: { url: string; child: ChildProcess };
  const dir = mkdtempSync(join(tmpdir(), 'harness-external-'));

  // A fresh SP process per test: the SP's users are shared by its workspaces, as a real SP's are.
  beforeEach(async () => {
    sp = await startSpProcess();
  });
  afterEach(() => sp?.child.kill('SIGTERM'));

  it('with its admin and observer APIs: a workspace per run, every check graded', async () => {
    const file = join(dir, 'with-observer.yaml');
    process.env.HARNESS_TEST_SP_TOKEN = TOKEN;
    writeFileSync(
      file,
      [
        '# yaml-language-server: $schema=../harness/target.schema.json',
        'name: reference SP with observer',
        `sp: { loginUrl: "${sp.url}/w/{workspace}", metadataUrl: "${sp.url}/saml/{workspace}/metadata" }`,
        'signedIn: { text: "Signed in as {email}" }',
        `admin: { baseUrl: "${sp.url}", tokenEnv: HARNESS_TEST_SP_TOKEN }`,
        `observer: { baseUrl: "${sp.url}", tokenEnv: HARNESS_TEST_SP_TOKEN }`,
      ].join('\n'),
    );
    const { code, report } = await runAgainst(file, dir);
    const r = report.results[0]!;
    expect(code, JSON.stringify(r.steps.map((s) => [s.status, s.message]))).to.equal(0);
    expect(r).to.include({ case: 'jit.new-user', idp: 'okta', status: 'passed' });
    expect(r.steps.map((s) => s.status)).to.deep.equal(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(r.steps.find((s) => s.evidence.saml)!.evidence.saml).to.include(`${sp.url}/saml/`);
  });

  it('pre-configured, without an observer: SAML and pages are checked, state checks are not-applicable', async () => {
    // As the SP's administrator would: a workspace that trusts the mock IdP at a fixed address,
    // set up from the IdP's metadata.
    const port = await freePort();
    const setup = loadSetupFile(join(ROOT, 'fixtures/setups/okta.yaml'));
    const idp = await startIdp({ port, setups: [setup] });
    const metadataXml = await (await fetch(`${idp.url}/${setup.tenant}/metadata`)).text();
    await idp.close();
    await admin(sp.url, 'POST', '/workspaces', { slug: 'acme', environments: ['DEV', 'TEST', 'PROD'] });
    await admin(sp.url, 'POST', '/workspaces/acme/roles', { name: 'mktg_ops' });
    await admin(sp.url, 'PUT', '/workspaces/acme/saml', { metadataXml, jit: true });

    const file = join(dir, 'without-observer.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'reference SP, black box',
        sp: {
          metadataUrl: `${sp.url}/saml/acme/metadata`,
          loginUrl: `${sp.url}/w/acme`,
          settings: { jit: true, environments: ['DEV', 'TEST', 'PROD'], customRoles: ['mktg_ops'] },
        },
        signedIn: { pattern: 'Signed in as {email}', urlPrefix: sp.url },
        idp: { port },
      }),
    );
    const { code, report } = await runAgainst(file, dir);
    const r = report.results[0]!;
    // Steps none of whose checks could run leave the case not applicable; the run graded nothing.
    expect(code).to.equal(2);
    expect(r.status).to.equal('not-applicable');
    expect(r.checks).to.include({ passed: 2, onState: 0, failed: 0, notApplicable: 5 });
    expect(r.steps.map((s) => [s.name, s.status])).to.deep.equal([
      ['set up the workspace and the IdP tenant', 'passed'],
      ['the Marketing hire has no account yet', 'not-applicable'],
      ['the Marketing hire opens the workspace and signs in at the IdP', 'passed'],
      [
        'the SP created the member from workato_email, workato_full_name and the role attributes',
        'not-applicable',
      ],
      // The page check still ran after the members check was not applicable.
      ['signing in again from a new browser does not create a second account', 'passed'],
    ]);
    expect(r.steps[4]!.checks?.map((c) => [c.check, c.status, c.gradedBy])).to.deep.equal([
      ['page', 'passed', 'page'],
      ['members', 'not-applicable', undefined],
    ]);
    expect(r.steps[1]!.message).to.match(/has no observer/);
    expect(r.observer).to.equal('none');
    // The sign-in really happened: the SP's own admin view has the member the harness could not see.
    const members = (await admin(sp.url, 'GET', '/workspaces/acme/members')) as { email: string }[];
    expect(members.map((m) => m.email)).to.deep.equal(['maria.garcia@acme.example']);
  });

  it('refuses a target file that breaks the schema, with ERR_TARGET_FILE, line and key path', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'name: x\nsp: { loginUrl: "http://sp" }\nsignedIn: { text: "ok {email}" }\nobserver: { url: "http://sp" }\n',
    );
    expect(() => loadTargetFile(file))
      .to.throw()
      .that.satisfies((e: InputError) => {
        expect(e.code).to.equal('ERR_TARGET_FILE');
        expect(e.problems.map((p) => [p.line, p.path])).to.deep.include.members([
          [4, 'observer'],
          [4, 'observer.url'],
        ]);
        return true;
      });
    writeFileSync(
      file,
      'name: x\nsp: { loginUrl: "http://sp", acsUrl: "http://sp/acs", entityId: sp }\nsignedIn: { text: "ok {email}" }\n',
    );
    expect(() => loadTargetFile(file))
      .to.throw()
      .that.satisfies((e: InputError) => e.problems.some((p) => p.path === 'idp.port'));
  });
});
