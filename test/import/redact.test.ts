import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { differing } from '../../harness/src/import/compare.js';
import { importCapture } from '../../harness/src/import/import-capture.js';
import { Redactor } from '../../harness/src/import/redact.js';
import { fixture } from './helpers.js';

/** Values of the fixture captures that identify a person, an IdP tenant or an SP host. */
const PERSONAL: Record<string, string[]> = {
  'entra-login.saml-tracer.json': [
    'bo.sample',
    'Bo Sample',
    'Sample',
    '7d4c2b1a-0f9e-4d8c-b7a6-5e4f3d2c1b0a',
    '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
    'app.example.org',
    'login.microsoftonline.com',
  ],
  'okta-login.har': ['ada.example', 'Ada', 'exk9zq8yw7xv6ut5s4r3', 'app.example.com', 'example.okta.com'],
  'onelogin-response.b64': ['cy.placeholder', 'Placeholder', '987654', 'app.example.net'],
  'google-post-body.txt': ['di.fictional', 'C01ab2cd3', 'app.example.com'],
};

describe('import --redact', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'idp-redact-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, personal] of Object.entries(PERSONAL)) {
    it(`${name}: the setup holds none of the personal values, and still round-trips`, async () => {
      const out = join(dir, `${name}.yaml`);
      const r = await importCapture({ capture: { text: fixture(name), name }, out, redact: true });
      const yaml = readFileSync(out, 'utf8');
      for (const p of personal) expect(yaml, p).to.not.include(p);
      expect(yaml).to.match(/^# Redacted: \d+ personal values replaced with consistent fakes\.$/m);
      expect(yaml).to.not.match(/CN=|SHA-256/);
      expect(r.redacted).to.be.greaterThan(2);
      expect(differing(r.rows), JSON.stringify(differing(r.rows))).to.deep.equal([]);
    });
  }

  it('replaces one value with the same fake everywhere, keeps configuration values and lists them', async () => {
    const r = await importCapture({
      capture: { text: fixture('entra-login.saml-tracer.json'), name: 'x' },
      redact: true,
    });
    const user = r.setup.users[0]!;
    expect(user.login).to.match(/^person\d+@example\.com$/);
    // The e-mail is the NameID, the UPN and the mail claim: one fake for all three.
    expect(user.profile).to.include({ userprincipalname: user.login, mail: user.login, role: 'Admin' });
    expect(user.groups).to.deep.equal(['Finance', 'Everyone']);
    // The tenant ID in the Issuer and in the tenantid claim: one fake, still a UUID.
    expect(r.setup.orgId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.kept).to.include('role = Admin');
    expect(r.kept).to.include(
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups = Finance, Everyone',
    );
  });

  it('--redact-attribute redacts a configuration value too', async () => {
    const r = await importCapture({
      capture: { text: fixture('entra-login.saml-tracer.json'), name: 'x' },
      redact: true,
      redactAttributes: ['role'],
    });
    expect(r.setup.users[0]!.profile?.role).to.not.equal('Admin');
    expect(r.kept.some((k) => k.startsWith('role'))).to.equal(false);
  });

  it('gives the same file for the same capture', async () => {
    const a = await importCapture({ capture: { text: fixture('okta-login.har'), name: 'a' }, redact: true });
    const b = await importCapture({ capture: { text: fixture('okta-login.har'), name: 'b' }, redact: true });
    expect(a.yaml).to.equal(b.yaml);
  });

  describe('fakes', () => {
    it('keep the shape of e-mails, UUIDs, numbers and tokens, are consistent, and keep nothing of the real value', () => {
      const value = fc.oneof(
        fc.emailAddress(),
        fc.uuid(),
        fc.stringMatching(/^[0-9]{4,12}$/),
        fc.stringMatching(/^[A-Za-z0-9]{6,24}$/),
        fc.stringMatching(/^[A-Z][a-z]{3,9} [A-Z][a-z]{3,9}$/),
      );
      fc.assert(
        fc.property(fc.uniqueArray(value, { minLength: 1, maxLength: 12 }), (reals) => {
          const r = new Redactor();
          const fakes = reals.map((v) => r.value(v));
          expect(reals.map((v) => r.value(v))).to.deep.equal(fakes);
          expect(new Set(fakes).size).to.equal(reals.length);
          reals.forEach((real, i) => {
            const fake = fakes[i]!;
            expect(fake).to.not.equal(real);
            if (/@/.test(real)) expect(fake).to.match(/^person\d+@example\.com$/);
            else if (/^[0-9a-f]{8}-/i.test(real))
              expect(fake).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            else if (/^\d+$/.test(real)) expect(fake).to.match(new RegExp(`^\\d{${real.length}}$`));
            else if (/^[A-Za-z0-9]+$/.test(real))
              expect(fake).to.match(new RegExp(`^[A-Za-z0-9]{${real.length}}$`));
            else expect(fake).to.match(/^redacted-\d+$/);
          });
        }),
        { numRuns: 200 },
      );
    });

    it('replace host names in URLs and keep the path', () => {
      const r = new Redactor();
      expect(r.host('https://acme.example.com:8443/saml/acs')).to.equal('https://sp1.example:8443/saml/acs');
      expect(r.host('https://acme.example.com/other/')).to.equal('https://sp1.example/other/');
      expect(r.host('acme.example.com')).to.equal('sp1.example');
      expect(r.host('http://localhost:8080/acs')).to.equal('http://localhost:8080/acs');
      expect(r.host('"123"')).to.equal('"123"');
    });
  });
});
