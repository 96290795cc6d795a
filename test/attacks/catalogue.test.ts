import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { CATALOGUE, armMutation, deliverResponse, findMutation } from '../../mock-idp/src/attacks/index.js';
import { loadSetupFile } from '../../mock-idp/src/index.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { loadScenarios } from '../../harness/src/scenario/load.js';
import { ROOT } from '../helpers/world.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const ACS = 'https://sp.example/saml/acme/acs';
const VENDORS = ['okta', 'onelogin', 'entra', 'google'] as const;

function tenantFor(vendor: string): Tenant {
  const setup = loadSetupFile(join(ROOT, `fixtures/setups/${vendor}.yaml`));
  return new Tenant(
    { ...setup, app: { ...setup.app, ssoUrl: ACS, audience: 'https://sp.example/saml/acme/metadata' } },
    () => 'https://idp.example',
  );
}

/** The XML a mutation delivers for Maria on `tenant`. */
function mutated(tenant: Tenant, id: string): string {
  armMutation(tenant, id);
  const value = deliverResponse(tenant, tenant.user('maria.garcia@acme.example')!, '_req1', ACS, new Date());
  return Buffer.from(value, 'base64').toString('utf8');
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
const all = (doc: Document | Element, ns: string, local: string) =>
  Array.from(doc.getElementsByTagNameNS(ns, local) as unknown as ArrayLike<Element>);

/** How many of the document's signatures verify with `certPem`, as a signature-only verifier sees it. */
function validSignatures(xml: string, certPem: string): number {
  let ok = 0;
  for (const sig of all(parse(xml), DS, 'Signature')) {
    const sx = new SignedXml({ publicCert: certPem });
    try {
      sx.loadSignature(sig as unknown as Node);
      if (sx.checkSignature(xml)) ok++;
    } catch {
      /* an invalid or unresolvable signature counts as not valid */
    }
  }
  return ok;
}

describe('mock-idp attack catalogue', () => {
  it('holds at least 30 named mutations, each with a stable saml.reject.* ID, spec sections and the conforming behaviour', () => {
    expect(CATALOGUE.length).to.be.at.least(30);
    const ids = CATALOGUE.map((m) => m.id);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const m of CATALOGUE) {
      expect(m.id).to.match(/^saml\.reject\.[a-z0-9-]+$/);
      expect(m.spec.length, m.id).to.be.greaterThan(0);
      for (const s of m.spec)
        expect(s, m.id).to.match(/^(SAML (Core|Profiles|Bindings|Metadata|Security)|RFC\d+)/);
      expect(m.conformingSp, m.id).to.match(/^Refuses/);
    }
  });

  it('names advisories only by CVE or GHSA ID, each at most once per entry', () => {
    for (const m of CATALOGUE) {
      const advisories = m.advisories ?? [];
      expect(new Set(advisories).size, m.id).to.equal(advisories.length);
      for (const a of advisories)
        expect(a, m.id).to.match(/^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$/);
    }
  });

  it('every entry has its case in scenarios/saml-reject/, which names the entry and every advisory of it', () => {
    const scenarios = loadScenarios([join(ROOT, 'scenarios/saml-reject')]);
    for (const m of CATALOGUE) {
      const s = scenarios.find((l) => l.scenario.case === m.id)?.scenario;
      expect(s, m.id).to.not.equal(undefined);
      expect(JSON.stringify(s!.steps), m.id).to.include(`"mutation":"${m.id}"`);
      for (const a of m.advisories ?? []) expect(s!.requirements.join(' '), m.id).to.include(a);
    }
  });

  it('documents every entry in mock-idp/src/attacks/README.md', () => {
    const readme = readFileSync(join(ROOT, 'mock-idp/src/attacks/README.md'), 'utf8');
    for (const m of CATALOGUE) expect(readme, m.id).to.include('`' + m.id + '`');
  });

  it('arms a mutation for the next response only; the one after is the vendor response again', () => {
    const tenant = tenantFor('okta');
    const cert = tenant.certificatePem;
    expect(validSignatures(mutated(tenant, 'saml.reject.unsigned'), cert)).to.equal(0);
    const next = Buffer.from(
      deliverResponse(tenant, tenant.user('maria.garcia@acme.example')!, '_req2', ACS, new Date()),
      'base64',
    ).toString('utf8');
    expect(validSignatures(next, cert)).to.equal(2);
  });

  it('refuses an unknown mutation ID with ERR_NO_MUTATION', () => {
    expect(() => armMutation(tenantFor('okta'), 'saml.reject.nope'))
      .to.throw()
      .with.property('code', 'ERR_NO_MUTATION');
    expect(findMutation('saml.reject.nope')).to.equal(undefined);
  });

  it('refuses a replay before any response was delivered with ERR_MUTATION_PRECONDITION', () => {
    const tenant = tenantFor('entra');
    expect(() => mutated(tenant, 'saml.reject.replay'))
      .to.throw()
      .with.property('code', 'ERR_MUTATION_PRECONDITION');
  });

  for (const vendor of VENDORS) {
    describe(`on the ${vendor} profile the mutations are the attacks they name`, () => {
      const tenant = tenantFor(vendor);
      const cert = tenant.certificatePem;
      const untrusted = readFileSync(join(ROOT, 'fixtures/keys/untrusted.cert.pem'), 'utf8');

      it('every wrapping variant keeps a signature that still verifies over the hidden original, next to a second assertion', () => {
        for (const m of CATALOGUE.filter((x) => x.id.startsWith('saml.reject.xsw-'))) {
          const xml = mutated(tenant, m.id);
          const assertions = all(parse(xml), SAML, 'Assertion');
          expect(assertions.length, m.id).to.be.at.least(2);
          expect(xml, m.id).to.include('mallory.admin@acme.example');
          if (m.id === 'saml.reject.xsw-duplicate-assertion-id') {
            // Which of two equal IDs a verifier resolves is up to its library; xml-crypto refuses the ambiguity.
            expect(new Set(assertions.map((a) => a.getAttribute('ID'))).size).to.equal(1);
          } else expect(validSignatures(xml, cert), m.id).to.be.at.least(1);
        }
      });

      it('the NameID comment split keeps every signature valid, and the first text node is the victim', () => {
        const xml = mutated(tenant, 'saml.reject.nameid-comment');
        expect(validSignatures(xml, cert)).to.be.at.least(1);
        const nameId = all(parse(xml), SAML, 'NameID')[0]!;
        expect(nameId.firstChild?.nodeValue).to.equal('maria.garcia@acme.example');
        expect(nameId.textContent).to.equal('maria.garcia@acme.example.attacker.example');
      });

      it('the processing-instruction split is validly signed over the instruction', () => {
        const xml = mutated(tenant, 'saml.reject.nameid-processing-instruction');
        expect(xml).to.include('<?x split?>');
        expect(validSignatures(xml, cert)).to.equal(1);
      });

      it('re-signed edits (status, extra audience, two assertions) verify with the trusted key', () => {
        for (const id of ['status-not-success', 'audience-extra-restriction', 'two-assertions']) {
          expect(validSignatures(mutated(tenant, `saml.reject.${id}`), cert), id).to.be.at.least(1);
        }
      });

      it('the untrusted-key response verifies only with the untrusted certificate', () => {
        const xml = mutated(tenant, 'saml.reject.untrusted-key');
        expect(validSignatures(xml, cert)).to.equal(0);
        expect(validSignatures(xml, untrusted)).to.be.at.least(1);
      });

      it('stripped, unsigned and tampered responses carry no signature valid over their content', () => {
        for (const id of [
          'unsigned',
          'signature-stripped-response',
          'signature-stripped-assertion',
          'signature-stripped-both',
          'tampered-attribute',
          'tampered-nameid',
        ]) {
          const xml = mutated(tenant, `saml.reject.${id}`);
          const signatures = all(parse(xml), DS, 'Signature').length;
          if (id.startsWith('tampered')) {
            // Every signature over the changed element breaks; the vendor signs that element, so at least one does.
            expect(signatures, id).to.be.greaterThan(0);
            expect(validSignatures(xml, cert), id).to.equal(0);
          } else expect(signatures, id).to.equal(0);
        }
      });

      it('the weak-algorithm response is signed with RSA-SHA1', () => {
        const xml = mutated(tenant, 'saml.reject.weak-algorithm-sha1');
        expect(xml).to.include('http://www.w3.org/2000/09/xmldsig#rsa-sha1');
        expect(validSignatures(xml, cert)).to.be.at.least(1);
      });
    });
  }
});
