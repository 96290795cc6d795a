import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSetupFile, type TenantSetup } from '../../mock-idp/src/index.js';
import { readCapturedLogin } from '../../harness/src/import/captured-login.js';
import { compareResponses, differing } from '../../harness/src/import/compare.js';
import { FEATURE_SOURCES } from '../../harness/src/import/feature-sources.js';
import { importCapture, type ImportResult } from '../../harness/src/import/import-capture.js';
import { Minter } from '../../harness/src/import/mint.js';
import { FEATURE_NAMES, extractFeatures } from '../../harness/src/import/saml-features.js';
import { ROOT } from '../helpers/world.js';
import { fixture, harnessError } from './helpers.js';

const notInferableFeatures = (r: ImportResult) =>
  r.rows.filter((x) => x.kind === 'feature' && x.verdict === 'not inferable').map((x) => x.item);

describe('import: from a capture to a tenant setup and back', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'idp-import-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (name: string, extra: Partial<Parameters<typeof importCapture>[0]> = {}) =>
    importCapture({ capture: { text: fixture(name), name }, out: join(dir, `${name}.yaml`), ...extra });

  const cases: [string, string, (s: TenantSetup) => void][] = [
    [
      'okta-login.har',
      'okta',
      (s) => {
        expect(s.orgId).to.equal('exk9zq8yw7xv6ut5s4r3');
        expect(s.app.ssoUrl).to.equal('https://app.example.com/saml/acs');
        expect(s.app.audience).to.equal('https://app.example.com/saml/metadata');
        expect(s.app.signing).to.deep.equal({ response: true, assertion: true, algorithm: 'rsa-sha256' });
        expect(s.app.nameId).to.deep.equal({ source: 'user.email', format: 'emailAddress' });
        expect(s.app.attributeStatements).to.deep.equal([
          { name: 'email', value: 'user.email' },
          { name: 'firstName', value: 'user.firstName' },
          { name: 'role', value: 'user.role' },
          { name: 'groups', value: 'user.groups' },
        ]);
        expect(s.users[0]!.profile).to.deep.equal({
          email: 'ada.example@example.com',
          firstName: 'Ada',
          role: 'Analyst',
          groups: ['Engineering', 'Everyone'],
        });
      },
    ],
    [
      'entra-login.saml-tracer.json',
      'entra',
      (s) => {
        expect(s.orgId).to.equal('7d4c2b1a-0f9e-4d8c-b7a6-5e4f3d2c1b0a');
        expect(s.app.includeDefaultClaims).to.equal(true);
        expect(s.app.signing).to.deep.equal({ response: false, assertion: true, algorithm: 'rsa-sha256' });
        expect(s.app.attributeStatements).to.deep.equal([
          { name: 'role', value: 'user.role' },
          { name: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', value: 'user.groups' },
        ]);
        expect(s.users[0]!.groups).to.deep.equal(['Finance', 'Everyone']);
        expect(s.users[0]!.profile).to.include({
          objectid: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
          givenname: 'Bo',
        });
      },
    ],
    [
      'onelogin-response.b64',
      'onelogin',
      (s) => {
        expect(s.orgId).to.equal('987654');
        expect(s.app.signing).to.deep.equal({ response: true, assertion: false, algorithm: 'rsa-sha1' });
        expect(s.app.attributeStatements).to.deep.equal([
          { name: 'User.email', value: 'email' },
          { name: 'User.LastName', value: 'custom_fields.User_LastName' },
          { name: 'costCenter', value: 'custom_fields.costCenter' },
          { name: 'memberOf', value: 'roles' },
        ]);
        // The empty parameter stays unset, so OneLogin writes its empty AttributeValue again.
        expect(s.users[0]!.profile).to.deep.equal({
          email: 'cy.placeholder@example.net',
          custom_fields: { User_LastName: 'Placeholder' },
        });
      },
    ],
    [
      'google-post-body.txt',
      'google',
      (s) => {
        expect(s.orgId).to.equal('C01ab2cd3');
        expect(s.app.nameId).to.deep.equal({
          source: 'Basic Information.Primary email',
          format: 'transient',
        });
        expect(s.app.groupAttributeStatements).to.deep.equal([
          { name: 'groups', groups: ['Sales', 'Everyone'] },
        ]);
        expect(s.users[0]!.profile).to.deep.equal({
          'Primary email': 'di.fictional@example.com',
          customSchemas: { Imported: { first_name: 'Di', department: 'Sales' } },
        });
      },
    ],
  ];

  for (const [name, vendor, expectSetup] of cases) {
    it(`${name}: tells ${vendor}, writes a setup the mock IdP loads, and its response matches the capture in every feature`, async () => {
      const r = await run(name);
      expect(r.vendor.vendor).to.equal(vendor);
      expect(r.vendor.given).to.equal(false);
      expect(r.signatures.every((s) => s.verifies)).to.equal(true);
      const file = loadSetupFile(join(dir, `${name}.yaml`));
      expect(file).to.deep.equal(r.setup);
      expectSetup(file);
      expect(differing(r.rows), JSON.stringify(differing(r.rows), null, 1)).to.deep.equal([]);
      expect(notInferableFeatures(r)).to.deep.equal([]);
      expect(r.rows.filter((x) => x.kind === 'feature')).to.have.length(FEATURE_NAMES.length);
    });
  }

  it('marks each placeholder in the file and lists what is not inferable', async () => {
    await run('okta-login.har');
    const yaml = readFileSync(join(dir, 'okta-login.har.yaml'), 'utf8');
    expect(yaml).to.match(
      /# PLACEHOLDER: the directory field that fed it is not in the capture; user\.role holds/,
    );
    expect(yaml).to.match(
      /# mapped: its value is the user's e-mail, so user\.email\n\s+- \{ name: email, value: user\.email \}/,
    );
    expect(yaml).to.match(/^# Vendor: okta, from the response's shape/m);
    expect(yaml).to.match(/^# {3}- signing key: /m);
    expect(yaml).to.match(/^# yaml-language-server: \$schema=.*mock-idp\/setup\.schema\.json$/m);
  });

  it('reads the validity window, the sign-in time and the clock against the browser', async () => {
    const r = await run('okta-login.har');
    expect(r.timing[0]).to.equal(
      'window from the Assertion IssueInstant: NotBefore −300 s, NotOnOrAfter +300 s, SubjectConfirmationData NotOnOrAfter +300 s, SessionNotOnOrAfter none',
    );
    expect(r.timing.find((t) => t.startsWith('clock:'))).to.match(
      /^clock: the IssueInstant is \+0\.2 s from when the browser/,
    );
  });

  describe('the round trip fails a setup that does not reproduce the capture', () => {
    it('a setup with another signing choice, NameID format or attribute value differs in exactly those', async () => {
      const r = await run('okta-login.har');
      const captured = {
        features: extractFeatures(r.chosen.message.xml),
        login: readCapturedLogin(r.chosen.message.xml),
      };
      const wrong: TenantSetup = {
        ...r.setup,
        app: {
          ...r.setup.app,
          signing: { response: false, assertion: true },
          nameId: { source: 'user.email', format: 'unspecified' },
        },
        users: [{ ...r.setup.users[0]!, profile: { ...r.setup.users[0]!.profile, role: 'Admin' } }],
      };
      const minter = await Minter.start();
      try {
        const m = await minter.mint(
          wrong,
          { user: wrong.users[0]!.login, password: wrong.users[0]!.password },
          captured.login.inResponseTo,
        );
        const rows = compareResponses(
          captured,
          { features: extractFeatures(m.xml), login: readCapturedLogin(m.xml) },
          'okta',
          new Map(),
        );
        expect(differing(rows).map((x) => x.item)).to.have.members([
          'responseChildren',
          'nameIdFormat',
          'signedElements',
          'attribute role',
        ]);
      } finally {
        await minter.close();
      }
    });

    it('naming the wrong vendor gives a setup whose response differs where settings decide', async () => {
      const r = await run('okta-login.har', { vendor: 'google' });
      expect(r.vendor).to.include({ vendor: 'google', given: true });
      expect(r.vendor.ranking[0]!.vendor).to.equal('okta');
      // The Issuer value is excused (it is not in Google's form), its shape is not; Google orders the statements the other way.
      expect(differing(r.rows).map((x) => x.item)).to.have.members(['issuerPattern', 'assertionChildren']);
      expect(notInferableFeatures(r)).to.include.members(['xmlDeclaration', 'idPattern', 'sessionIndex']);
    });

    it('only features the vendor decides are ever excused; every other one that differs fails', () => {
      const xml = readCapturedLogin(Buffer.from(fixture('onelogin-response.b64'), 'base64').toString('utf8'));
      const features = extractFeatures(xml.xml);
      for (const f of FEATURE_NAMES) {
        const rows = compareResponses(
          { features, login: xml },
          { features: { ...features, [f]: `${features[f]}-changed` }, login: xml },
          'onelogin',
          new Map(),
        );
        const row = rows.find((x) => x.item === f)!;
        expect(row.verdict, f).to.equal(FEATURE_SOURCES[f].by === 'vendor' ? 'not inferable' : 'differs');
        expect(
          rows.filter((x) => x.item !== f).every((x) => x.verdict === 'same'),
          f,
        ).to.equal(true);
      }
    });
  });

  describe('vendor', () => {
    const foreign = () =>
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_8f3e1c0b9a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a" Version="2.0" IssueInstant="2024-05-01T10:00:00Z" Destination="https://sp.example.net/acs" InResponseTo="ONELOGIN_0a1b2c3d">' +
      '<saml:Issuer>https://idp.example.net/simplesaml/saml2/idp/metadata.php</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
      '<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_0e9f8a7b6c5d4e3f2a8f3e1c0b9a7d6e5f4a3b2c1d" Version="2.0" IssueInstant="2024-05-01T10:00:00Z">' +
      '<saml:Issuer>https://idp.example.net/simplesaml/saml2/idp/metadata.php</saml:Issuer><saml:Subject><saml:NameID SPNameQualifier="https://sp.example.net" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_4b3c2d1e0f</saml:NameID>' +
      '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="2024-05-01T10:05:00Z" Recipient="https://sp.example.net/acs" InResponseTo="ONELOGIN_0a1b2c3d"/></saml:SubjectConfirmation></saml:Subject>' +
      '<saml:Conditions NotBefore="2024-05-01T09:59:30Z" NotOnOrAfter="2024-05-01T10:05:00Z"><saml:AudienceRestriction><saml:Audience>https://sp.example.net</saml:Audience></saml:AudienceRestriction></saml:Conditions>' +
      '<saml:AuthnStatement AuthnInstant="2024-05-01T10:00:00Z" SessionNotOnOrAfter="2024-05-01T18:00:00Z" SessionIndex="_9a8b7c6d5e"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>' +
      '<saml:AttributeStatement><saml:Attribute Name="urn:oid:0.9.2342.19200300.100.1.3" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue xsi:type="xs:string">eve@example.net</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>';

    it("refuses to guess for a response of another IdP's software, showing the scores", async () => {
      const e = await harnessError(() =>
        importCapture({ capture: { text: foreign(), name: 'foreign.xml' } }),
      );
      expect(e.code).to.equal('ERR_VENDOR_UNKNOWN');
      expect(e.message)
        .to.match(/okta \d+\/\d+/)
        .and.match(/--vendor/);
    });

    it('imports it as the vendor named, and the round trip shows where it is not that vendor', async () => {
      const r = await importCapture({ capture: { text: foreign(), name: 'foreign.xml' }, vendor: 'okta' });
      expect(r.vendor.given).to.equal(true);
      expect(differing(r.rows).map((x) => x.item)).to.deep.equal(['issuerPattern']);
      expect(r.inferred.notInferable.join('\n')).to.match(
        /Issuer: "https:\/\/idp\.example\.net.*is not in okta's form/,
      );
    });
  });

  describe('--metadata', () => {
    const metadataXml = (certPem: string) =>
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk9zq8yw7xv6ut5s4r3"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certPem.replace(/-----[^-]+-----|\s/g, '')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://example.okta.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
    const cert = (k: string) => readFileSync(join(ROOT, 'fixtures', 'keys', `${k}.cert.pem`), 'utf8');

    it('verifies the captured signatures with the metadata certificate, from a file or a URL', async () => {
      writeFileSync(join(dir, 'md.xml'), metadataXml(cert('okta')));
      const fromFile = await run('okta-login.har', { metadata: join(dir, 'md.xml') });
      expect(fromFile.metadataNotes).to.deep.equal([]);
      expect(fromFile.signatures.map((s) => [s.on, s.verifies, s.with])).to.deep.equal([
        ['Response', true, 'the metadata certificate'],
        ['Assertion', true, 'the metadata certificate'],
      ]);
      const server = createServer((_q, res) => res.end(metadataXml(cert('okta'))));
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
        const fromUrl = await run('okta-login.har', { metadata: url });
        expect(fromUrl.metadata?.entityId).to.equal('http://www.okta.com/exk9zq8yw7xv6ut5s4r3');
        expect(fromUrl.signatures.every((s) => s.verifies)).to.equal(true);
      } finally {
        server.close();
      }
    });

    it("says the signatures do not verify with another IdP's certificate", async () => {
      writeFileSync(join(dir, 'md-other.xml'), metadataXml(cert('untrusted')));
      const r = await run('okta-login.har', { metadata: join(dir, 'md-other.xml') });
      expect(r.signatures.map((s) => s.verifies)).to.deep.equal([false, false]);
      expect(r.signatures[0]!.with).to.include('its KeyInfo carries another key');
    });

    it("notes metadata of another entity, or without the response's NameID format", async () => {
      const other = metadataXml(cert('okta'))
        .replace(
          'entityID="http://www.okta.com/exk9zq8yw7xv6ut5s4r3"',
          'entityID="http://www.okta.com/exkOTHER"',
        )
        .replace('nameid-format:emailAddress', 'nameid-format:unspecified');
      writeFileSync(join(dir, 'md-another.xml'), other);
      const r = await run('okta-login.har', { metadata: join(dir, 'md-another.xml') });
      expect(r.metadataNotes).to.have.length(2);
      expect(r.metadataNotes[0]).to.match(
        /entityID http:\/\/www\.okta\.com\/exkOTHER is not the response's Issuer/,
      );
      expect(r.metadataNotes[1]).to.match(/NameID format .*emailAddress is not among/);
      expect(r.signatures.every((s) => s.verifies)).to.equal(true);
    });

    it('gives ERR_IDP_METADATA for metadata that is missing, cut short or not an IdP', async () => {
      writeFileSync(join(dir, 'md-cut.xml'), metadataXml(cert('okta')).slice(0, 300));
      writeFileSync(
        join(dir, 'md-sp.xml'),
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp"><md:SPSSODescriptor/></md:EntityDescriptor>',
      );
      for (const f of ['md-missing.xml', 'md-cut.xml', 'md-sp.xml']) {
        const e = await harnessError(() => run('okta-login.har', { metadata: join(dir, f) }));
        expect(e.code, f).to.equal('ERR_IDP_METADATA');
      }
    });
  });
});
