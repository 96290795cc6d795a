import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSetupFile, type TenantSetup } from '../../../mock-idp/src/index.js';
import { HarnessError } from '../errors.js';
import { FIXTURES_DIR } from '../paths.js';
import { ALL_IDPS, type IdpId } from '../scenario/types.js';
import type { CapturedLogin } from './captured-login.js';
import { FEATURE_SOURCES, NA } from './feature-sources.js';
import type { Minter } from './mint.js';
import { FEATURE_NAMES, extractFeatures, type FeatureName, type Features } from './saml-features.js';

/** Features that tell vendors apart: the vendor-written ones, and the Issuer's shape. */
const WEIGHTS: Partial<Record<FeatureName, number>> = { issuerPattern: 4, idPattern: 2 };
const TELLING = FEATURE_NAMES.filter((f) => FEATURE_SOURCES[f].by === 'vendor' || f in WEIGHTS);
const weight = (f: FeatureName) => WEIGHTS[f] ?? 1;

export interface VendorChoice {
  vendor: IdpId;
  /** True when --vendor named it rather than the response's shape. */
  given: boolean;
  /** Weighted features the capture shares with each profile's response, best first. */
  ranking: { vendor: IdpId; score: number; of: number }[];
  /** One line per telling feature: the capture's value, and which profiles write it. */
  evidence: string[];
}

/**
 * Each vendor profile's own response, minted from the bundled setup of that vendor, signed and
 * encrypted the way the capture is, and without attributes when it has none, so that only the
 * vendor's hand differs.
 */
export async function referenceFeatures(
  minter: Minter,
  captured: CapturedLogin,
  features: Features,
): Promise<Record<IdpId, Features>> {
  const out = {} as Record<IdpId, Features>;
  for (const vendor of ALL_IDPS) {
    const base = loadSetupFile(join(FIXTURES_DIR, 'setups', `${vendor}.yaml`));
    const signed = features.signedElements;
    const setup: TenantSetup = {
      ...base,
      tenant: `reference-${vendor}`,
      app: {
        ...base.app,
        ...(signed !== NA && signed !== 'none'
          ? { signing: { response: signed.includes('Response'), assertion: signed.includes('Assertion') } }
          : {}),
        quirks: { ...base.app.quirks, httpsOnlyAcs: false },
        ...(captured.encryption
          ? {
              encryption: {
                algorithm: 'aes256-cbc',
                certificatePem:
                  captured.encryption.spCertificatePem ??
                  readFileSync(join(FIXTURES_DIR, 'keys', 'sp.cert.pem'), 'utf8'),
              },
            }
          : {}),
        ...(captured.assertion && !captured.assertion.attributes.length
          ? { attributeStatements: [], groupAttributeStatements: [], includeDefaultClaims: false }
          : {}),
      },
    };
    const user = base.users[0]!;
    const minted = await minter.mint(
      setup,
      { user: user.login, password: user.password },
      captured.inResponseTo ? 'id-reference-request' : undefined,
    );
    out[vendor] = extractFeatures(minted.xml);
  }
  return out;
}

/**
 * Picks the vendor whose profile writes a response most like the captured one, over the
 * features that no console setting chooses (plus the Issuer's shape, weighted). Throws
 * ERR_VENDOR_UNKNOWN when no profile matches at least half of the weight, or two tie.
 */
export function chooseVendor(
  captured: Features,
  references: Record<IdpId, Features>,
  given?: IdpId,
): VendorChoice {
  const compared = TELLING.filter((f) => captured[f] !== NA);
  const ranking = ALL_IDPS.map((vendor) => {
    const ref = references[vendor];
    const counted = compared.filter((f) => ref[f] !== NA);
    return {
      vendor,
      score: counted.filter((f) => ref[f] === captured[f]).reduce((n, f) => n + weight(f), 0),
      of: counted.reduce((n, f) => n + weight(f), 0),
    };
  }).sort((a, b) => b.score / b.of - a.score / a.of);
  const best = ranking[0]!;
  const evidence = compared.map((f) => {
    const writers = ALL_IDPS.filter((v) => references[v][f] === captured[f]);
    return `${f}: ${captured[f]}  — ${writers.length ? `written by ${writers.length === ALL_IDPS.length ? 'every profile' : writers.join(', ')}` : 'no profile writes it'}`;
  });
  if (given) return { vendor: given, given: true, ranking, evidence };
  const second = ranking[1]!;
  if (best.score * 2 < best.of || best.score / best.of === second.score / second.of) {
    throw new HarnessError(
      'ERR_VENDOR_UNKNOWN',
      `the response's shape matches no vendor profile well enough (${ranking
        .map((r) => `${r.vendor} ${r.score}/${r.of}`)
        .join(
          ', ',
        )}); name the vendor with --vendor okta|onelogin|entra|google if you know it.\n  ${evidence.join('\n  ')}`,
    );
  }
  return { vendor: best.vendor, given: false, ranking, evidence };
}
