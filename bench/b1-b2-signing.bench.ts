/**
 * B1 and B2 (bench/README.md): how fast the mock IdP mints signed SAML Responses.
 *
 * B1 divides the rate of whole signed Okta Responses (Response and Assertion both signed,
 * RSA-SHA256, RSA-2048) by the rate of raw `crypto.sign` doing the same number of RSA
 * operations over the same SignedInfo bytes, on one core. B2 divides the same minting rate
 * by that of samlify's IdP `createLoginResponse` signing the same two elements, in the
 * same process. Both are timed by CPU time in alternating small batches.
 */
import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as samlify from 'samlify';
import { loadSetupFile } from '../mock-idp/src/setup.js';
import { Tenant } from '../mock-idp/src/tenant.js';
import type { Figure } from './figures.js';

const ROOT = join(import.meta.dirname, '..');
const ROUNDS = 5;

function mockTenant(): Tenant {
  const setup = loadSetupFile(join(ROOT, 'fixtures', 'setups', 'okta.yaml'));
  return new Tenant(setup, () => 'http://127.0.0.1:9');
}

/**
 * Two contenders measured in alternating small batches, each by the CPU time this process
 * spent on it (`process.cpuUsage`), so other processes on a shared machine do not skew the
 * comparison. Returns operations per CPU-second of each.
 */
async function duel(
  a: () => unknown,
  b: () => unknown,
  batch: number,
  rounds: number,
): Promise<{ a: number[]; b: number[] }> {
  const run = async (op: () => unknown): Promise<number> => {
    const before = process.cpuUsage();
    for (let i = 0; i < batch; i++) {
      const r = op();
      if (r instanceof Promise) await r;
    }
    const used = process.cpuUsage(before);
    return used.user + used.system;
  };
  await run(a);
  await run(b);
  const out = { a: [] as number[], b: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    let ta = 0;
    let tb = 0;
    for (let k = 0; k < 10; k++) {
      ta += await run(a);
      tb += await run(b);
    }
    out.a.push((10 * batch * 1e6) / ta);
    out.b.push((10 * batch * 1e6) / tb);
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round2 = (x: number): number => Math.round(x * 100) / 100;

function minter() {
  const tenant = mockTenant();
  const user = tenant.user('maria.garcia@acme.example')!;
  const acs = tenant.setup.app.ssoUrl;
  return () => tenant.respond(user, '_bench', acs, new Date()).xml;
}

async function b1(): Promise<Figure> {
  const mint = minter();
  const sample = mint();
  const signedInfos = [...sample.matchAll(/<ds:SignedInfo>[\s\S]*?<\/ds:SignedInfo>/g)].map((m) =>
    Buffer.from(
      m[0].replace('<ds:SignedInfo>', `<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">`),
    ),
  );
  if (signedInfos.length !== 2) throw new Error(`expected 2 signatures, got ${signedInfos.length}`);
  const key = mockTenant().key.privateKey;
  // The raw baseline does what one Response needs: one RSA-SHA256 signature per SignedInfo.
  const raw = () => {
    for (const si of signedInfos) sign('sha256', si, key);
  };
  const { a: mints, b: raws } = await duel(mint, raw, 20, ROUNDS);
  const ratios = mints.map((m, i) => m / raws[i]!);
  return {
    value: round2(median(ratios)),
    goal: 0.8,
    unit: 'x raw crypto.sign',
    direction: '>=',
    details: {
      responsesPerCpuSecond: Math.round(median(mints)),
      rawSignaturePairsPerCpuSecond: Math.round(median(raws)),
      signaturesPerResponse: 2,
      responseBytes: sample.length,
      rounds: ROUNDS,
    },
  };
}

async function b2(): Promise<Figure> {
  samlify.setSchemaValidator({ validate: async () => 'skipped' });
  const keys = join(ROOT, 'fixtures', 'keys');
  const idp = samlify.IdentityProvider({
    entityID: 'http://www.okta.com/exk1fcia6d6EMsf9F0h8',
    privateKey: readFileSync(join(keys, 'okta.key.pem'), 'utf8'),
    signingCert: readFileSync(join(keys, 'okta.cert.pem'), 'utf8'),
    isAssertionEncrypted: false,
    singleSignOnService: [
      { Binding: samlify.Constants.namespace.binding.post, Location: 'http://127.0.0.1:9/sso' },
    ],
    singleLogoutService: [
      { Binding: samlify.Constants.namespace.binding.post, Location: 'http://127.0.0.1:9/slo' },
    ],
  });
  const sp = samlify.ServiceProvider({
    entityID: 'https://sp.example/saml/acme/metadata',
    authnRequestsSigned: false,
    wantAssertionsSigned: true,
    wantMessageSigned: true,
    signingCert: readFileSync(join(keys, 'sp.cert.pem'), 'utf8'),
    assertionConsumerService: [
      { Binding: samlify.Constants.namespace.binding.post, Location: 'https://sp.example/saml/acme/acs' },
    ],
  });
  const theirs = () =>
    idp.createLoginResponse(sp, { extract: { request: { id: '_bench' } } }, 'post', {
      email: 'maria.garcia@acme.example',
    });
  const probe = Buffer.from((await theirs()).context, 'base64').toString('utf8');
  const theirSignatures = (probe.match(/<(\w+:)?SignatureValue/g) ?? []).length;
  if (theirSignatures !== 2) throw new Error(`samlify signed ${theirSignatures} elements, expected 2`);
  const mint = minter();
  const { a: ours, b: samlifys } = await duel(mint, theirs, 10, ROUNDS);
  const ratios = ours.map((o, i) => o / samlifys[i]!);
  return {
    value: round2(median(ratios)),
    goal: 8,
    unit: 'x samlify createLoginResponse',
    direction: '>=',
    details: {
      responsesPerCpuSecond: Math.round(median(ours)),
      samlifyResponsesPerCpuSecond: Math.round(median(samlifys)),
      signaturesPerResponse: 2,
      samlifyResponseBytes: probe.length,
      rounds: ROUNDS,
    },
  };
}

export const figures: Record<string, () => Promise<Figure>> = { B1: b1, B2: b2 };
