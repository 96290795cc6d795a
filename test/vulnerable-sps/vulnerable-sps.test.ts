import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseResult } from '../../harness/src/model.js';
import { ForeignSp, type ResponseReader } from '../helpers/foreign-sp.js';
import { freePort, idpMetadataAt, ledgerlyTarget, runTarget } from '../helpers/ledgerly.js';
import { ROOT } from '../helpers/world.js';
import { acceptsXsw, ignoresAudience, signedOnly, trustsKeyInfo } from './flawed-readers.js';
import { rejectCase, resultOf, runCases } from './run-cases.js';

/** Each deliberately vulnerable Ledgerly, and the saml.reject case it exists to fail. */
const VULNERABLE: { flaw: string; reader: ResponseReader; case: string }[] = [
  { flaw: 'accepts XSW', reader: acceptsXsw, case: 'saml.reject.xsw-evil-assertion-before-signed' },
  { flaw: 'trusts the KeyInfo certificate', reader: trustsKeyInfo, case: 'saml.reject.untrusted-key' },
  { flaw: 'ignores the audience', reader: ignoresAudience, case: 'saml.reject.audience-mismatch' },
];
const CASES = VULNERABLE.map((v) => v.case);
const grep = (ids: readonly string[]) => `^(${ids.map((c) => c.replaceAll('.', '\\.')).join('|')})(\\s|$)`;
const why = (r: CaseResult) => `${r.case} ${r.status}: ${r.message ?? ''}`;

describe('vulnerable SPs: each fails the saml.reject case of its flaw, the reference SP passes them', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'vulnerable-sps-'));
  let idpPort: number;
  let metadata: Record<string, string>;

  before(async () => {
    idpPort = await freePort();
    metadata = await idpMetadataAt(idpPort);
  });

  /** Runs `caseIds` on okta against Ledgerly reading responses with `reader`, page-only or with an observer. */
  async function againstLedgerly(
    reader: ResponseReader | undefined,
    observer: 'none' | 'reference-api',
    caseIds: readonly string[],
  ) {
    const sp = await ForeignSp.start({ idps: metadata, ...(reader ? { readResponse: reader } : {}) });
    try {
      const { report } = await runTarget(
        ledgerlyTarget(sp, idpPort, observer),
        join(ROOT, 'scenarios/saml-reject'),
        dir,
        ['--idp', 'okta', '--grep', grep(caseIds)],
      );
      return report;
    } finally {
      await sp.close();
    }
  }

  it('the embedded reference SP passes all three, graded on state', async () => {
    const report = await runCases(
      ['xsw-evil-assertion-before-signed', 'untrusted-key', 'audience-mismatch'].map(rejectCase),
    );
    for (const id of CASES) {
      const r = resultOf(report, id);
      expect(r.status, why(r)).to.equal('passed');
      expect(r.observer).to.equal('reference-api');
    }
  });

  for (const observer of ['none', 'reference-api'] as const) {
    for (const v of VULNERABLE) {
      it(`Ledgerly that ${v.flaw} fails ${v.case} (${observer === 'none' ? 'page-only' : 'with an observer'})`, async () => {
        const report = await againstLedgerly(v.reader, observer, [v.case]);
        const r = resultOf(report, v.case);
        expect(r.status, why(r)).to.equal('failed');
        expect(r.steps.at(-1)!.code).to.be.oneOf([
          'ERR_CHECK_ATTACK_ACCEPTED',
          'ERR_CHECK_ATTACK_STATE_CHANGED',
        ]);
      });
    }
  }

  it('the XSW page names who was signed in: the forged identity, not the user', async () => {
    const report = await againstLedgerly(acceptsXsw, 'none', [
      'saml.reject.xsw-evil-assertion-before-signed',
    ]);
    expect(report.results[0]!.message).to.match(/mallory\.admin@acme\.example signed in/);
  });

  it("Ledgerly as configured (saml2-js) passes the three without printing the reference SP's error codes", async () => {
    for (const observer of ['none', 'reference-api'] as const) {
      const report = await againstLedgerly(undefined, observer, CASES);
      for (const id of CASES)
        expect(resultOf(report, id).status, why(resultOf(report, id))).to.equal('passed');
    }
  });

  describe('graded on the effect: an SP that consumes only what the IdP signed is not exploited', () => {
    it('passes the XSW case, page-only and with an observer, though it signed the user in', async () => {
      for (const observer of ['none', 'reference-api'] as const) {
        const report = await againstLedgerly(signedOnly, observer, [
          'saml.reject.xsw-evil-assertion-before-signed',
        ]);
        const r = report.results[0]!;
        expect(r.status, why(r)).to.equal('passed');
        expect((r.steps.at(-1)!.evidence.observed as { grading: string }).grading).to.match(
          /signed in from the IdP's signed assertion alone/,
        );
      }
    });

    it('passes the forged-attribute case with an observer (no forged value taken), and is not applicable page-only', async () => {
      const id = 'saml.reject.attribute-outside-signed';
      const withObserver = (await againstLedgerly(signedOnly, 'reference-api', [id])).results[0]!;
      expect(withObserver.status, why(withObserver)).to.equal('passed');
      const pageOnly = (await againstLedgerly(signedOnly, 'none', [id])).results[0]!;
      expect(pageOnly.status, why(pageOnly)).to.equal('not-applicable');
      expect(pageOnly.message).to.match(/forged values \(Admin\).*observer/);
    });

    it('a NameID split by a comment: reading the whole signed text passes, reading up to the comment fails', async () => {
      const id = 'saml.reject.nameid-comment';
      /** Knows people by the NameID, read as the IdP signed it: its whole text. */
      const wholeText: ResponseReader = async (body, t) => {
        const signed = await signedOnly(body, t);
        const { workato_email: _email, ...attributes } = signed.attributes;
        return { ...signed, attributes };
      };
      /** Knows people by the NameID's first text node only (CVE-2017-11427): the victim's address. */
      const truncates: ResponseReader = async (body, t) => {
        const whole = await wholeText(body, t);
        const xml = Buffer.from(String(body.SAMLResponse), 'base64').toString('utf8');
        const first = /<(?:\w+:)?NameID[^>]*>([^<]*)<!--/.exec(xml)?.[1];
        return first ? { ...whole, nameId: first } : whole;
      };
      const passes = (await againstLedgerly(wholeText, 'none', [id])).results[0]!;
      expect(passes.status, why(passes)).to.equal('passed');
      const fails = (await againstLedgerly(truncates, 'none', [id])).results[0]!;
      expect(fails.status, why(fails)).to.equal('failed');
      expect(fails.message).to.match(/maria\.garcia@acme\.example signed in/);
    });

    it('passes, on the page and on state alike, an SP that reads a comment-split signed value whole', async () => {
      // It signs in maria.garcia@acme.example.attacker.example, the person the IdP signed for.
      const id = 'saml.reject.attribute-value-comment';
      for (const observer of ['none', 'reference-api'] as const) {
        const r = (await againstLedgerly(signedOnly, observer, [id])).results[0]!;
        expect(r.status, why(r)).to.equal('passed');
      }
    });

    it('a look-alike assertion in another namespace: ignoring it passes, reading assertions by local name fails', async () => {
      const id = 'saml.reject.namespace-prefix-redeclared';
      const byNameId: ResponseReader = async (body, t) => {
        const signed = await signedOnly(body, t);
        const { workato_email: _email, ...attributes } = signed.attributes;
        return { ...signed, attributes };
      };
      /** Takes the first element named Assertion, whatever its namespace (CVE-2025-25292). */
      const byLocalName: ResponseReader = async (body, t) => {
        const signed = await byNameId(body, t);
        const xml = Buffer.from(String(body.SAMLResponse), 'base64').toString('utf8');
        const first = /<(?:\w+:)?NameID[^>]*>([^<]*)</.exec(xml)?.[1];
        return first ? { ...signed, nameId: first } : signed;
      };
      const passes = (await againstLedgerly(byNameId, 'none', [id])).results[0]!;
      expect(passes.status, why(passes)).to.equal('passed');
      const fails = (await againstLedgerly(byLocalName, 'none', [id])).results[0]!;
      expect(fails.status, why(fails)).to.equal('failed');
      expect(fails.message).to.match(/mallory\.admin@acme\.example signed in/);
    });

    it('fails an SP that takes the forged attribute beside the signed assertion', async () => {
      const id = 'saml.reject.attribute-outside-signed';
      /** Reads the signed assertion, then lets any role attribute anywhere in the message override it. */
      const polluted: ResponseReader = async (body, t) => {
        const signed = await signedOnly(body, t);
        const xml = Buffer.from(String(body.SAMLResponse), 'base64').toString('utf8');
        const admin = /Name="(workato_role[^"]*)"[^>]*>\s*<[^>]*AttributeValue[^>]*>Admin</.exec(xml);
        return admin ? { ...signed, attributes: { ...signed.attributes, [admin[1]!]: 'Admin' } } : signed;
      };
      const r = (await againstLedgerly(polluted, 'reference-api', [id])).results[0]!;
      expect(r.status, why(r)).to.equal('failed');
      expect(r.message).to.match(/forged values: Admin/);
    });
  });
});
