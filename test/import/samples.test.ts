import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { differing } from '../../harness/src/import/compare.js';
import { importCapture } from '../../harness/src/import/import-capture.js';
import { ROOT } from '../helpers/world.js';

/** The team's captured samples, next to the checkout (IDP_SAMPLES names another place, e.g. from a worktree). */
const SAMPLES = process.env.IDP_SAMPLES ?? join(ROOT, '..', 'shared', 'idp-samples');

/**
 * The captured responses of real IdPs, each with its vendor and what the round trip may show
 * as not inferable: structural features an older or newer release of the vendor writes its
 * own way (no setting chooses them), and values no setting decides.
 */
const TABLE: {
  file: string;
  vendor: string;
  features: string[];
  values?: string[];
  decryptKey?: string;
}[] = [
  { file: 'okta/gosaml2-2016-signed-both.xml', vendor: 'okta', features: [] },
  {
    // fleet re-indented it and replaced the certificate and SignatureValue with REDACTED.
    file: 'okta/fleet-2023-custom-attrs-redacted.xml',
    vendor: 'okta',
    features: ['responseAttributeOrder', 'assertionAttributeOrder', 'base64Wrapping'],
  },
  {
    file: 'okta/crewjam-2020-encrypted-signed-both.xml',
    vendor: 'okta',
    features: ['responseAttributeOrder'],
    decryptKey: 'okta/crewjam-2020-encrypted-signed-both.sp-key.pem',
  },
  {
    file: 'okta/gosaml2-2017-encrypted-multivalue.xml',
    vendor: 'okta',
    features: [],
    decryptKey: 'okta/gosaml2-2017-encrypted-multivalue.sp-key.pem',
  },
  { file: 'onelogin/crewjam-2016-signed-response.xml', vendor: 'onelogin', features: [] },
  { file: 'onelogin/gosaml2-2017-signed-assertion.xml', vendor: 'onelogin', features: [] },
  {
    file: 'entra/phpsaml-2023-signed-assertion.xml',
    vendor: 'entra',
    features: [],
    values: ['attribute http://schemas.microsoft.com/claims/authnmethodsreferences'],
  },
  { file: 'entra/tercen-2022-signed-assertion.xml', vendor: 'entra', features: [] },
  // The SP's request ID is not an xs:ID, so the replay answers a stand-in request ID.
  {
    file: 'google/fleet-2017-signed-assertion.xml',
    vendor: 'google',
    features: [],
    values: ['InResponseTo'],
  },
  // Reconstructed from a pretty-printed copy that lost the XML declaration's standalone="no".
  { file: 'google/salrashid-2022-signed-response.xml', vendor: 'google', features: ['xmlDeclaration'] },
];

describe('import: the real captured responses round-trip', function () {
  let dir: string;
  before(function () {
    if (!existsSync(SAMPLES)) {
      console.log(
        `      (skipped: ${SAMPLES} is not present; the self-made captures in test/import/fixtures still run)`,
      );
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'idp-import-samples-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const s of TABLE) {
    it(`${s.file}: ${s.vendor}, every feature the same except those listed as not inferable`, async () => {
      const r = await importCapture({
        capture: { text: readFileSync(join(SAMPLES, s.file), 'utf8'), name: s.file },
        out: join(dir, `${s.file.replace(/\W+/g, '-')}.yaml`),
        ...(s.decryptKey ? { decryptKey: join(SAMPLES, s.decryptKey) } : {}),
      });
      expect(r.vendor.vendor).to.equal(s.vendor);
      expect(differing(r.rows), JSON.stringify(differing(r.rows), null, 1)).to.deep.equal([]);
      const excused = r.rows.filter((x) => x.verdict === 'not inferable');
      expect(excused.filter((x) => x.kind === 'feature').map((x) => x.item)).to.deep.equal(s.features);
      expect(excused.filter((x) => x.kind === 'value').map((x) => x.item)).to.deep.equal(s.values ?? []);
      // What the command lists as not inferable includes every excused feature.
      for (const f of s.features)
        expect(r.rows.find((x) => x.item === f)!.why).to.match(/not chosen by a setting/);
    });
  }

  it('the signatures of the captures that were not re-serialised verify', async () => {
    for (const file of ['okta/gosaml2-2016-signed-both.xml', 'entra/tercen-2022-signed-assertion.xml']) {
      const r = await importCapture({
        capture: { text: readFileSync(join(SAMPLES, file), 'utf8'), name: file },
      });
      expect(r.signatures.length, file).to.be.greaterThan(0);
      expect(
        r.signatures.every((x) => x.verifies),
        file,
      ).to.equal(true);
    }
  });

  it('an encrypted capture without the SP key still gives its shape, with a placeholder audience', async () => {
    const file = 'okta/gosaml2-2017-encrypted-multivalue.xml';
    const r = await importCapture({
      capture: { text: readFileSync(join(SAMPLES, file), 'utf8'), name: file },
    });
    expect(r.vendor.vendor).to.equal('okta');
    expect(r.setup.app.encryption?.algorithm).to.equal('aes256-cbc');
    expect(r.setup.app.audience).to.equal('urn:idp-harness:placeholder:audience');
    expect(differing(r.rows)).to.deep.equal([]);
  });

  it('the unsigned Google capture keeps its multi-valued group attribute as a group mapping', async () => {
    const file = 'google/authentik-2022-groups-unsigned.xml';
    const r = await importCapture({
      capture: { text: readFileSync(join(SAMPLES, file), 'utf8'), name: file },
    });
    expect(r.vendor.vendor).to.equal('google');
    expect(r.setup.app.signing).to.deep.include({ response: false, assertion: false });
    expect(r.setup.app.groupAttributeStatements).to.deep.equal([
      { name: 'http://schemas.xmlsoap.org/claims/Group', groups: ['group 1', 'group 2'] },
    ]);
    expect(differing(r.rows)).to.deep.equal([]);
  });
});
