import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDP_DEFAULTS } from '../../mock-idp/src/config.js';
import { startIdp } from '../../mock-idp/src/index.js';
import { SP_DEFAULTS } from '../../sp-under-test/src/config.js';
import { startSp } from '../../sp-under-test/src/index.js';
import { JsonReporter } from '../../harness/src/reporters/json.js';
import { plan } from '../../harness/src/runner/plan.js';
import { runSuite } from '../../harness/src/runner/run-suite.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { ROOT, admin, spKeys, startWorld, type World } from '../helpers/world.js';

describe("the tools' own security", function () {
  this.timeout(60_000);

  describe('servers bind to the loopback interface unless told otherwise', () => {
    it('has 127.0.0.1 as the default host of the mock IdP and the reference SP', () => {
      expect(IDP_DEFAULTS.host).to.equal('127.0.0.1');
      expect(SP_DEFAULTS.host).to.equal('127.0.0.1');
    });

    it('listens on 127.0.0.1 when started with no options', async () => {
      const idp = await startIdp();
      const sp = await startSp({ keyPair: spKeys() });
      try {
        expect(new URL(idp.url).hostname).to.equal('127.0.0.1');
        expect(new URL(sp.url).hostname).to.equal('127.0.0.1');
      } finally {
        await idp.close();
        await sp.close();
      }
    });

    it('`idp-harness sp` with no --host listens on 127.0.0.1', async () => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/idp-harness.js'), 'sp', '--port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const m = /listening on (\S+)/.exec(out);
            if (m) resolve(m[1]!);
          });
          child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
        });
        expect(new URL(url).hostname).to.equal('127.0.0.1');
      } finally {
        child.kill('SIGTERM');
      }
    });
  });

  describe('the admin and observer APIs require their bearer token', () => {
    let world: World;
    before(async () => {
      world = await startWorld();
    });
    after(() => world.close());

    const statusOf = async (url: string, token?: string, method = 'GET') =>
      (
        await fetch(url, {
          method,
          headers: {
            ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
            'content-type': 'application/json',
          },
          ...(method === 'GET' ? {} : { body: '{}' }),
        })
      ).status;

    for (const [what, path, method] of [
      ['workspaces', '/api/admin/workspaces', 'GET'],
      ['create a workspace', '/api/admin/workspaces', 'POST'],
      ['members (observer)', '/api/admin/workspaces/acme/members', 'GET'],
      ['sessions (observer)', '/api/admin/workspaces/acme/sessions', 'GET'],
      ['audit (observer)', '/api/admin/workspaces/acme/audit', 'GET'],
      ['SAML settings', '/api/admin/workspaces/acme/saml', 'PUT'],
    ] as const) {
      it(`SP ${what}: 401 with no token or a wrong one, 2xx with the right one`, async () => {
        const url = world.sp.url + path;
        expect(await statusOf(url, undefined, method)).to.equal(401);
        expect(await statusOf(url, 'not-the-token', method)).to.equal(401);
        expect(await statusOf(url, '', method)).to.equal(401);
        if (method === 'GET') expect(await statusOf(url, world.sp.adminToken)).to.equal(200);
      });
    }

    for (const [what, path, method] of [
      ['tenants', '/api/admin/tenants', 'GET'],
      ['a tenant', '/api/admin/tenants/acme-okta', 'PUT'],
      ['the attack catalogue', '/api/admin/attacks', 'GET'],
      ['arming a mutation', '/api/admin/tenants/acme-okta/next-mutation', 'PUT'],
    ] as const) {
      it(`mock IdP ${what}: 401 with no token or a wrong one`, async () => {
        const url = world.idp.url + path;
        expect(await statusOf(url, undefined, method)).to.equal(401);
        expect(await statusOf(url, 'not-the-token', method)).to.equal(401);
        if (method === 'GET') expect(await statusOf(url, world.idp.adminToken)).to.equal(200);
      });
    }
  });

  describe('the XML parsers refuse DTDs', () => {
    let world: World;
    before(async () => {
      world = await startWorld();
    });
    after(() => world.close());

    it('the SP refuses IdP metadata that carries a DTD (ERR_BAD_METADATA) and keeps its settings', async () => {
      const md = await (await fetch(`${world.idp.url}/${world.tenant.name}/metadata`)).text();
      const hostile = md.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      );
      expect(hostile).to.include('<!DOCTYPE');
      const before = await admin(world.sp, 'GET', '/workspaces/acme/saml');
      const res = await admin<{ error: { code: string } }>(world.sp, 'PUT', '/workspaces/acme/saml', {
        metadataXml: hostile,
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('ERR_BAD_METADATA');
      expect((await admin(world.sp, 'GET', '/workspaces/acme/saml')).body).to.deep.equal(before.body);
    });

    it('the mock IdP refuses an AuthnRequest that carries a DTD (ERR_AUTHN_REQUEST_DTD)', async () => {
      const request =
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ' +
        `ID="_a" Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${world.entityId}</saml:Issuer></samlp:AuthnRequest>`;
      const res = await fetch(`${world.idp.url}/${world.tenant.name}/sso`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLRequest: Buffer.from(request).toString('base64') }),
      });
      expect(res.status).to.equal(400);
      expect(await res.text()).to.include('ERR_AUTHN_REQUEST_DTD');
    });

    it('the SP ACS refuses DTD, entity expansion and XXE before parsing (ERR_SAML_DTD_FORBIDDEN)', async () => {
      for (const m of ['dtd', 'entity-expansion', 'xxe']) {
        const { signInWith } = await import('./forge.js');
        expect(await signInWith(world, `saml.reject.${m}`), m).to.deep.equal({
          status: 403,
          code: 'ERR_SAML_DTD_FORBIDDEN',
        });
      }
    });
  });

  describe('no secret is written to reports', () => {
    it('a run with SSO and SCIM writes no bearer token and no private key into report.json', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'secrets-report-'));
      const files = [join(ROOT, 'scenarios/jit/new-user.yaml'), join(ROOT, 'scenarios/scim')];
      const runs = plan(loadScenarios(files), { idps: ['okta'], driver: 'http' });
      const report = await runSuite(runs, {
        driver: 'http',
        workers: 1,
        reportsDir: dir,
        reporters: [new JsonReporter(join(dir, 'report.json'))],
      });
      expect(report.summary.passed).to.be.greaterThan(1);
      const text = readFileSync(join(dir, 'report.json'), 'utf8');
      expect(text).to.match(/Bearer \*\*\*/);
      // Tokens are 16+ characters of base64url or hex; prose such as "Bearer Token" is not one.
      const bearers = [...text.matchAll(/Bearer ([A-Za-z0-9_\-.~+/]{16,}=*)/g)].map((m) => m[1]);
      expect(bearers, 'unredacted bearer tokens').to.deep.equal([]);
      expect(text).not.to.match(/"token":\s*"[\w-]{16,}"/);
      expect(text).not.to.match(/PRIVATE KEY/);
      for (const pem of [
        spKeys().privateKeyPem,
        readFileSync(join(ROOT, 'fixtures/keys/okta.key.pem'), 'utf8'),
      ]) {
        const body = pem.split('\n')[1]!;
        expect(text.includes(body)).to.equal(false);
      }
    });
  });
});
