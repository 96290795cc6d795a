import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { WORKERS_DEFAULT_TEXT, buildProgram } from '../../harness/src/cli.js';
import { EMBEDDED_CAPABILITIES, capabilitiesOf } from '../../harness/src/env/capabilities.js';
import { chooseSloEndpoint, readSpMetadata } from '../../harness/src/env/sp-metadata.js';
import { loadTargetFile } from '../../harness/src/env/target-file.js';
import type { InputError } from '../../harness/src/errors.js';
import { whyNotApplicable } from '../../harness/src/runner/applicability.js';
import { loadScenarioFile } from '../../harness/src/scenario/load.js';
import { mainCapturing } from '../helpers/cli.js';
import { ForeignSp } from '../helpers/foreign-sp.js';
import { ROOT } from '../helpers/world.js';
import { freePort, idpMetadataAt, ledgerlyTarget, runTarget } from '../helpers/ledgerly.js';

const dir = mkdtempSync(join(tmpdir(), 'harness-target-files-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const program = buildProgram(
    { out: (s) => void (out += s), err: (s) => void (err += s) },
    (c) => (code = c),
  );
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 2;
  }
  return { code, out, err };
}

const MINIMAL = {
  name: 'pre-configured',
  sp: { loginUrl: 'http://127.0.0.1:9/app', entityId: 'urn:sp', acsUrl: 'http://127.0.0.1:9/acs' },
  signedIn: { text: 'Welcome {email}' },
  idp: { port: 7443 },
};

describe('harness: target files describe real SPs', function () {
  this.timeout(120_000);

  describe('a malformed target file is reported with file, line and key path', () => {
    it('names every problem at once: unknown keys, placeholders, JSONPaths, unset token variables', () => {
      const file = write(
        'bad.yaml',
        [
          'name: bad',
          'sp:',
          '  loginUrl: http://sp.example/{tenant}/app',
          '  metadataUrl: http://sp.example/md',
          '  pages:',
          '    deeplink: /x',
          'signedIn: { text: "hi {email}" }',
          'idp: { port: 7443 }',
          'observer:',
          '  kind: mapping',
          '  tokenEnv: HARNESS_TEST_NOT_SET',
          '  members: { url: http://sp.example/people, items: "$.data[*]", email: "$.mail[" }',
          '',
        ].join('\n'),
      );
      let problems: InputError['problems'] = [];
      try {
        loadTargetFile(file, {});
      } catch (e) {
        expect((e as InputError).code).to.equal('ERR_TARGET_FILE');
        problems = (e as InputError).problems;
      }
      // The schema's problems come first; the file's meaning is checked once its shape is right.
      expect(problems.map((p) => [p.line, p.path])).to.deep.equal([[6, 'sp.pages.deeplink']]);
      writeFileSync(file, readFileSync(file, 'utf8').replace('deeplink', 'deepLink'));
      try {
        loadTargetFile(file, {});
        expect.fail('the file has problems');
      } catch (e) {
        problems = (e as InputError).problems;
      }
      expect(problems.map((p) => [p.line, p.path])).to.deep.equal([
        [3, 'sp.loginUrl'],
        [11, 'observer.tokenEnv'],
        [12, 'observer.members.email'],
      ]);
      expect(problems[0]!.message).to.match(/unknown placeholder \{tenant\}/);
      expect(problems[2]!.message).to.match(/not a JSONPath this harness reads/);
    });

    it('validate --target prints file:line:column path: message and exits 2', async () => {
      const file = write(
        'bad-slo.yaml',
        stringify({ ...MINIMAL, sp: { ...MINIMAL.sp, sloUrl: { soap: 'x' } } }),
      );
      const { code, err } = await mainCapturing([
        'validate',
        '--target',
        file,
        join(ROOT, 'scenarios/jit/new-user.yaml'),
      ]);
      expect(code).to.equal(2);
      expect(err).to.match(/ERR_TARGET_FILE: 1 problem in the target file/);
      expect(err).to.match(/bad-slo\.yaml:\d+:\d+ {2}sp\.sloUrl\.soap: unknown key "soap"/);
    });

    it('accepts every observer kind, SLO URLs per binding and {idp}', () => {
      const sp = { url: 'http://127.0.0.1:9', apiToken: 't', scimToken: 's' } as ForeignSp;
      for (const kind of ['reference-api', 'scim', 'mapping', 'none'] as const) {
        const file = write(`ok-${kind}.yaml`, stringify(ledgerlyTarget(sp, 7443, kind)));
        expect(capabilitiesOf(loadTargetFile(file)).observer).to.equal(kind === 'none' ? null : kind);
      }
      const file = write(
        'slo.yaml',
        stringify({ ...MINIMAL, sp: { ...MINIMAL.sp, sloUrl: { post: 'http://127.0.0.1:9/{idp}/slo' } } }),
      );
      expect(capabilitiesOf(loadTargetFile(file)).slo).to.deep.equal({ redirect: false, post: true });
    });
  });

  it('sp.settings covers every setting a scenario can require of the workspace', () => {
    const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios/scenario.schema.json'), 'utf8'));
    const target = JSON.parse(readFileSync(join(ROOT, 'harness/target.schema.json'), 'utf8'));
    const workspace = scenario.definitions.given.properties.workspace.properties;
    const required = [
      ...Object.keys(workspace.saml.properties),
      ...Object.keys(workspace).filter((k) => k !== 'saml' && k !== 'members'),
    ];
    expect(Object.keys(target.properties.sp.properties.settings.properties)).to.include.members(required);
  });

  describe('cases a target cannot run are not applicable before running, with the reason', () => {
    const preconfigured = capabilitiesOf(
      loadTargetFile(
        write('pre.yaml', stringify({ ...MINIMAL, sp: { ...MINIMAL.sp, settings: { jit: true } } })),
      ),
    );
    const why = (file: string) =>
      whyNotApplicable(loadScenarioFile(join(ROOT, 'scenarios', file)).scenario, preconfigured);

    it('names the settings the pre-configured SP does not declare (groupSync, enforceSamlFor, allowSha1, customRoles)', () => {
      expect(why('jit/group-sync-on-login.yaml')).to.match(
        /groupSync: true, which the target does not declare/,
      );
      expect(why('auth/enforce-saml-for.yaml')).to.match(/enforceSamlFor: "all-except-admins"/);
      expect(why('saml-reject/weak-algorithm-sha1.yaml')).to.match(/allowSha1: false/);
      expect(why('jit/role-case-sensitive.yaml')).to.match(/customRoles/);
    });

    it('given.workspace.members, further workspaces, unmapped pages and SLO without an endpoint', () => {
      expect(why('auth/environment-methods.yaml')).to.match(/given\.workspace\.members/);
      expect(why('multiws/switch-workspaces.yaml')).to.match(/further workspaces/);
      expect(why('jit/relaystate-deep-link.yaml')).to.match(
        /deepLink, secondDeepLink pages.*sp\.pages\.deepLink/,
      );
      expect(why('auth/slo-idp-initiated.yaml')).to.match(/SLO URL for that binding \(sp\.sloUrl\.post/);
    });

    it('a case the target can run has no reason, and the embedded SP runs every case', () => {
      const settings = { jit: true, environments: ['DEV', 'TEST', 'PROD'], customRoles: ['mktg_ops'] };
      const caps = capabilitiesOf(
        loadTargetFile(write('pre2.yaml', stringify({ ...MINIMAL, sp: { ...MINIMAL.sp, settings } }))),
      );
      expect(
        whyNotApplicable(loadScenarioFile(join(ROOT, 'scenarios/jit/new-user.yaml')).scenario, caps),
      ).to.equal(undefined);
      expect(why('jit/sp-initiated.yaml')).to.match(/customRoles: \["mktg_ops"\]/);
      expect(
        whyNotApplicable(
          loadScenarioFile(join(ROOT, 'scenarios/auth/environment-methods.yaml')).scenario,
          EMBEDDED_CAPABILITIES,
        ),
      ).to.equal(undefined);
    });
  });

  describe('an SP without roles (sp.settings.roles: false)', () => {
    const withSettings = (name: string, settings: Record<string, unknown>) =>
      capabilitiesOf(loadTargetFile(write(name, stringify({ ...MINIMAL, sp: { ...MINIMAL.sp, settings } }))));
    const whyRoleless = (file: string) =>
      whyNotApplicable(
        loadScenarioFile(join(ROOT, 'scenarios', file)).scenario,
        withSettings('roleless.yaml', { jit: true, roles: false }),
      );
    const why = (file: string) =>
      whyNotApplicable(
        loadScenarioFile(join(ROOT, 'scenarios', file)).scenario,
        withSettings('with-roles.yaml', { jit: true }),
      );

    it('runs a case without the roles and environments it only sets up for its other checks', () => {
      expect(whyRoleless('jit/new-user.yaml')).to.equal(undefined);
      expect(whyRoleless('jit/sp-initiated.yaml')).to.equal(undefined);
      expect(whyRoleless('saml-reject/audience-mismatch.yaml')).to.equal(undefined);
    });

    it('does not run a case that tests roles, and still needs the SAML settings a case asks for', () => {
      expect(whyRoleless('jit/role-case-sensitive.yaml')).to.match(/tests the SP's roles.*roles: false/);
      expect(whyRoleless('jit/environment-roles.yaml')).to.match(/tests the SP's roles/);
      expect(whyRoleless('saml-reject/weak-algorithm-sha1.yaml')).to.match(/allowSha1: false/);
    });

    it("a target with roles that declares none of the case's roles still gets the case not applicable", () => {
      expect(why('jit/sp-initiated.yaml')).to.match(/customRoles: \["mktg_ops"\]/);
      expect(why('jit/role-case-sensitive.yaml')).to.not.match(/tests the SP's roles/);
    });
  });

  it('an SP that knows people by the NameID alone does not run a case whose NameID is not the email', () => {
    const caps = (settings: Record<string, unknown>) =>
      capabilitiesOf(
        loadTargetFile(write('by-name-id.yaml', stringify({ ...MINIMAL, sp: { ...MINIMAL.sp, settings } }))),
      );
    const scenario = (file: string) => loadScenarioFile(join(ROOT, 'scenarios', file)).scenario;
    const byNameId = caps({ jit: true, roles: false, emailFromNameId: true });
    expect(whyNotApplicable(scenario('jit/email-from-workato-email.yaml'), byNameId)).to.match(
      /NameID that is not the person's email.*sp\.settings\.emailFromNameId/,
    );
    expect(whyNotApplicable(scenario('jit/sp-initiated.yaml'), byNameId)).to.equal(undefined);
    expect(
      whyNotApplicable(scenario('jit/email-from-workato-email.yaml'), caps({ jit: true, roles: false })),
    ).to.equal(undefined);
  });

  it('reads the SLO endpoint of each binding from SP metadata, and picks the one the case asks for', () => {
    const md =
      readSpMetadata(`<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:sp">
      <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp/slo/post"/>
        <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp/slo/redirect"/>
        <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp/acs" index="0"/>
      </SPSSODescriptor></EntityDescriptor>`);
    expect(md).to.deep.equal({
      entityId: 'urn:sp',
      acsUrl: 'https://sp/acs',
      sloUrls: { redirect: 'https://sp/slo/redirect', post: 'https://sp/slo/post' },
    });
    expect(chooseSloEndpoint(md.sloUrls, 'post')).to.deep.equal({
      sloUrl: 'https://sp/slo/post',
      sloBinding: 'post',
    });
    expect(chooseSloEndpoint(md.sloUrls, undefined)).to.deep.equal({
      sloUrl: 'https://sp/slo/redirect',
      sloBinding: 'redirect',
    });
    expect(chooseSloEndpoint({ post: 'https://sp/slo/post' }, 'redirect')).to.deep.equal({});
  });

  it('README and run --help name the same default number of workers', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).to.match(new RegExp(`\\| \`--workers N\` \\|[^\\n]*\\| ${WORKERS_DEFAULT_TEXT} \\|`));
    const { out } = await cli('run', '--help');
    expect(out.replace(/\s+/g, ' ')).to.include(`(default: ${WORKERS_DEFAULT_TEXT})`);
  });

  describe('against Ledgerly, an SP with its own layout that trusts all four tenants through {idp}', () => {
    let idpPort: number;
    let metadata: Record<string, string>;
    let sp: ForeignSp;
    before(async () => {
      idpPort = await freePort();
      metadata = await idpMetadataAt(idpPort);
    });
    beforeEach(async () => {
      sp = await ForeignSp.start({ idps: metadata });
    });
    afterEach(() => sp.close());

    it('deep links are its own pages: the bundled RelayState case passes, on all four IdPs', async () => {
      const { code, report } = await runTarget(
        ledgerlyTarget(sp, idpPort, 'mapping'),
        join(ROOT, 'scenarios/jit/relaystate-deep-link.yaml'),
        dir,
      );
      expect(
        report.results.map((r) => [r.idp, r.status, r.message]),
        JSON.stringify(report.results.map((r) => r.steps.map((s) => s.message))),
      ).to.deep.equal([
        ['okta', 'passed', undefined],
        ['onelogin', 'passed', undefined],
        ['entra', 'passed', undefined],
        ['google', 'passed', undefined],
      ]);
      expect(code).to.equal(0);
    });

    it("IdP-initiated logout over HTTP-POST goes to the POST endpoint of the SP's metadata", async () => {
      const { report } = await runTarget(
        ledgerlyTarget(sp, idpPort, 'mapping'),
        join(ROOT, 'test/fixtures/scenarios/targets/logout-post.yaml'),
        dir,
      );
      const r = report.results[0]!;
      expect(
        r.steps.map((s) => s.status),
        JSON.stringify(r.steps.map((s) => s.message)),
      ).to.deep.equal(['passed', 'passed', 'passed', 'passed']);
      expect(sp.sloHits).to.deep.equal(['okta:post']);
    });

    it('list --target shows what will run, what will not, and why', async () => {
      const file = write('ledgerly-list.yaml', stringify(ledgerlyTarget(sp, idpPort, 'scim')));
      const { code, out } = await cli('list', '--target', file, '--idp', 'okta');
      expect(code).to.equal(0);
      expect(out).to.match(/Target "Ledgerly \(scim\)"/);
      expect(out).to.match(/observer: scim/);
      expect(out).to.match(
        /jit\.new-user .*\n\s+okta\s+runs; not applicable while running: sessions \(.*SCIM 2\.0 defines none.*\), audit/,
      );
      expect(out).to.match(
        /jit\.group-sync-on-login .*\n\s+okta\s+not-applicable: the case needs groupSync: true/,
      );
      expect(out).to.match(
        /auth\.environment-methods .*\n\s+okta\s+not-applicable: .*given\.workspace\.members/,
      );
    });

    it('an unreachable target stops the run at once with one clear error (exit 2), and runs nothing', async () => {
      const down = await freePort();
      const target = ledgerlyTarget(sp, idpPort, 'mapping') as { sp: Record<string, unknown> };
      const file = write('down.yaml', stringify(target).replaceAll(sp.url, `http://127.0.0.1:${down}`));
      const { code, err } = await mainCapturing([
        'run',
        '--target',
        file,
        '--reporter',
        `json=${join(dir, 'down.json')}`,
        '--no-progress',
      ]);
      expect(code).to.equal(2);
      expect(err.trim().split('\n')).to.have.length(1);
      expect(err).to.match(
        /ERR_TARGET_UNREACHABLE: the target "Ledgerly \(mapping\)" cannot be reached, so no case was run: http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
      );
    });

    it("idp --acs/--audience point a setup's app at a pre-configured SP", async () => {
      const { spawn } = await import('node:child_process');
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'bin/idp-harness.js'),
          'idp',
          '--setup',
          join(ROOT, 'fixtures/setups/onelogin.yaml'),
          '--acs',
          'https://sp.example/{idp}/acs',
          '--audience',
          'https://sp.example/{idp}',
          '--port',
          String(port),
          '--admin-token',
          'prep-token',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const out = await new Promise<string>((resolve, reject) => {
          let text = '';
          child.stdout!.on('data', (d: Buffer) => {
            text += d.toString();
            if (/^tenant /m.test(text)) resolve(text);
          });
          child.once('exit', (c) => reject(new Error(`idp exited ${c}: ${text}`)));
        });
        expect(out).to.match(
          /app ACS https:\/\/sp\.example\/onelogin\/acs, audience https:\/\/sp\.example\/onelogin/,
        );
        const res = await fetch(`http://127.0.0.1:${port}/api/admin/tenants/acme-onelogin`, {
          headers: { authorization: 'Bearer prep-token' },
        });
        expect(((await res.json()) as { app: object }).app).to.include({
          ssoUrl: 'https://sp.example/onelogin/acs',
          audience: 'https://sp.example/onelogin',
        });
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('idp --target prepares the four tenants for the pre-configured SP', async () => {
      const { spawn } = await import('node:child_process');
      const file = write('ledgerly-idp.yaml', stringify(ledgerlyTarget(sp, idpPort, 'none')));
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bin/idp-harness.js'), 'idp', '--target', file, '--admin-token', 'prep-token'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const out = await new Promise<string>((resolve, reject) => {
          let text = '';
          child.stdout!.on('data', (d: Buffer) => {
            text += d.toString();
            if ((text.match(/^tenant /gm) ?? []).length === 4) resolve(text);
          });
          child.once('exit', (c) => reject(new Error(`idp exited ${c}: ${text}`)));
        });
        expect(out).to.include(`mock-idp listening on http://127.0.0.1:${idpPort}`);
        const app = async (tenant: string) =>
          (
            (await (
              await fetch(`http://127.0.0.1:${idpPort}/api/admin/tenants/${tenant}`, {
                headers: { authorization: 'Bearer prep-token' },
              })
            ).json()) as { app: Record<string, string> }
          ).app;
        expect(await app('acme-entra')).to.include({
          ssoUrl: `${sp.url}/t/entra/saml/acs`,
          audience: `${sp.url}/t/entra`,
          sloUrl: `${sp.url}/t/entra/saml/slo-redirect`,
          sloBinding: 'redirect',
        });
        expect(out).to.match(/tenant acme-okta .*app ACS http:\/\/127\.0\.0\.1:\d+\/t\/okta\/saml\/acs/);
      } finally {
        child.kill('SIGTERM');
      }
    });
  });
});
