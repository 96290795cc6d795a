import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { checkSetup, loadSetupFile, type TenantSetup } from '../../../mock-idp/src/index.js';
import { HarnessError } from '../errors.js';
import { FIXTURES_DIR, PROJECT_ROOT } from '../paths.js';
import type { IdpId } from '../scenario/types.js';
import { readCapturedLogin, type CapturedLogin } from './captured-login.js';
import { chooseLoginResponse, type MessageSummary } from './choose-response.js';
import { compareResponses, type ComparisonRow } from './compare.js';
import { decryptAssertion } from './decrypt.js';
import { inferSetup, type InferredSetup } from './infer-setup.js';
import { readMetadata, type IdpMetadata } from './metadata.js';
import { Minter, type Minted } from './mint.js';
import { readCapture } from './read-capture.js';
import { Redactor, redactLogin } from './redact.js';
import { extractFeatures, type Features } from './saml-features.js';
import { verifySignatures, type SignatureVerdict } from './signatures.js';
import { timingFacts } from './timing.js';
import { chooseVendor, referenceFeatures, type VendorChoice } from './vendor.js';
import { VENDOR_SYNTAX } from './vendor-syntax.js';
import { renderSetup } from './write-setup.js';

export interface ImportOptions {
  /** The capture's text, and a name for it (its file name). */
  capture: { text: string; name: string };
  metadata?: string;
  /** Where to write the setup; when absent it is only returned. */
  out?: string;
  vendor?: IdpId;
  /** The message number of the login response, when it is not the first. */
  message?: number;
  tenant?: string;
  redact?: boolean;
  redactAttributes?: string[];
  /** The SP private key (PEM file) that decrypts an EncryptedAssertion. */
  decryptKey?: string;
  /** The SP encryption certificate (PEM file), when the capture does not carry it. */
  encryptionCert?: string;
}

export interface ImportResult {
  found: string;
  chosen: MessageSummary;
  others: MessageSummary[];
  vendor: VendorChoice;
  signatures: SignatureVerdict[];
  metadata?: IdpMetadata;
  /** Notes on the metadata against the capture (entity ID, certificate). */
  metadataNotes: string[];
  timing: string[];
  inferred: InferredSetup;
  kept: string[];
  redacted?: number;
  yaml: string;
  /** The setup as the mock IdP reads it back (from the written file, when there is one). */
  setup: TenantSetup;
  minted: Minted;
  rows: ComparisonRow[];
}

const readPem = (file: string, what: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new HarnessError(
      'ERR_BAD_OPTION',
      `${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code})`,
    );
  }
};

const posix = (p: string) => p.split('\\').join('/');

/** A tenant name from the output file's name, as setup.schema.json allows it. */
function tenantName(o: ImportOptions, vendor: IdpId): string {
  const raw = o.tenant ?? (o.out ? basename(o.out).replace(/\.ya?ml$/i, '') : `imported-${vendor}`);
  const t = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return /^[a-z0-9]/.test(t) ? t : `imported-${vendor}`;
}

async function loginOf(
  xml: string,
  decryptKey: string | undefined,
  keyPem: string | undefined,
): Promise<CapturedLogin> {
  const clear = keyPem ? await decryptAssertion(xml, keyPem, decryptKey!) : undefined;
  return readCapturedLogin(xml, clear);
}

/**
 * Imports a capture: reads it, picks the login response, tells the vendor from its shape,
 * infers a tenant setup (redacted on request), writes it, then signs the captured user in at a
 * mock IdP tenant made from the setup as written, and compares that response with the captured
 * one feature by feature.
 */
export async function importCapture(o: ImportOptions): Promise<ImportResult> {
  const capture = readCapture(o.capture.text);
  const { chosen, others } = chooseLoginResponse(capture, o.message);
  const keyPem = o.decryptKey ? readPem(o.decryptKey, '--decrypt-key') : undefined;
  const raw = await loginOf(chosen.message.xml, o.decryptKey, keyPem);
  const features = extractFeatures(chosen.message.xml);
  const metadata = o.metadata ? await readMetadata(o.metadata, raw.issuer) : undefined;
  const metadataNotes: string[] = [];
  if (metadata && raw.issuer && metadata.entityId !== raw.issuer)
    metadataNotes.push(
      `the metadata's entityID ${metadata.entityId} is not the response's Issuer ${raw.issuer}`,
    );
  const format = raw.assertion?.nameId?.format;
  if (metadata && format && metadata.nameIdFormats.length && !metadata.nameIdFormats.includes(format))
    metadataNotes.push(
      `the response's NameID format ${format} is not among the metadata's NameIDFormat elements`,
    );
  const signatures = verifySignatures(raw.signatures, metadata?.signingCertificates ?? []);

  const minter = await Minter.start();
  try {
    const references = await referenceFeatures(minter, raw, features);
    const vendor = chooseVendor(features, references, o.vendor);
    const syntax = VENDOR_SYNTAX[vendor.vendor];
    const redactor = o.redact ? new Redactor() : undefined;
    const { login, kept } = redactor
      ? redactLogin(raw, syntax.orgIdOf(raw.issuer ?? ''), redactor, new Set(o.redactAttributes ?? []))
      : { login: raw, kept: [] };

    const outDir = o.out ? dirname(resolve(o.out)) : process.cwd();
    const rel = (p: string) => posix(relative(outDir, p)) || '.';
    const inferred = inferSetup(login, {
      vendor: vendor.vendor,
      tenant: tenantName(o, vendor.vendor),
      signingKey: {
        keyFile: rel(join(FIXTURES_DIR, 'keys', `${vendor.vendor}.key.pem`)),
        certFile: rel(join(FIXTURES_DIR, 'keys', `${vendor.vendor}.cert.pem`)),
      },
      ...(o.encryptionCert ? { encryptionCertPem: readPem(o.encryptionCert, '--encryption-cert') } : {}),
    });
    const certificatePem = redactor
      ? undefined
      : (metadata?.signingCertificates[0] ?? raw.signatures[0]?.certificatePem);
    const yaml = renderSetup(inferred, {
      source: `${redactor ? 'a capture' : o.capture.name}, message ${chosen.message.n} (${redactor ? chosen.message.origin.replace(/https?:\/\/\S+/g, '<url>') : chosen.message.origin})`,
      vendorLine: vendorLine(vendor),
      ...(redactor ? { redacted: redactor.replaced } : {}),
      ...(certificatePem ? { certificatePem } : {}),
      schemaPath: rel(join(PROJECT_ROOT, 'mock-idp', 'setup.schema.json')),
    });
    let setup: TenantSetup;
    if (o.out) {
      mkdirSync(dirname(resolve(o.out)), { recursive: true });
      writeFileSync(o.out, yaml);
      setup = loadSetupFile(o.out);
    } else {
      setup = checkSetup(parse(yaml), 'the imported setup');
      setup.signingKey = {
        privateKeyPem: readFileSync(resolve(outDir, inferred.setup.signingKey!.keyFile!), 'utf8'),
        certificatePem: readFileSync(resolve(outDir, inferred.setup.signingKey!.certFile!), 'utf8'),
      };
    }

    const user = setup.users[0]!;
    const minted = await minter.mint(setup, { user: user.login, password: user.password }, raw.inResponseTo);
    const excused = new Map(inferred.excused);
    if (minted.note) excused.set('InResponseTo', minted.note);
    const mintedLogin = await loginOf(minted.xml, o.decryptKey, keyPem);
    const rows = compareResponses(
      { features, login },
      { features: extractFeatures(minted.xml) as Features, login: mintedLogin },
      vendor.vendor,
      excused,
    );
    return {
      found: capture.found,
      chosen,
      others,
      vendor,
      signatures,
      ...(metadata ? { metadata } : {}),
      metadataNotes,
      timing: timingFacts(raw, chosen.message.at),
      inferred,
      kept,
      ...(redactor ? { redacted: redactor.replaced } : {}),
      yaml,
      setup,
      minted,
      rows,
    };
  } finally {
    await minter.close();
  }
}

export function vendorLine(v: VendorChoice): string {
  const [best, next] = v.ranking;
  const score = (r: typeof best) => `${r!.score}/${r!.of}`;
  if (v.given) {
    const mine = v.ranking.find((r) => r.vendor === v.vendor)!;
    return `Vendor: ${v.vendor}, as given with --vendor (its profile matches ${score(mine)} of the weighted telling features; best: ${best!.vendor} ${score(best)}).`;
  }
  return `Vendor: ${v.vendor}, from the response's shape: ${score(best)} of the weighted telling features match its profile (next: ${next!.vendor} ${score(next)}).`;
}
