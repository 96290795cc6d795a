/**
 * Writes the test-only key pairs in fixtures/keys/. Run with `node --import tsx scripts/make-keys.ts`.
 * The keys are published on purpose: they sign nothing but test traffic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from '../mock-idp/src/keys.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'keys');
mkdirSync(dir, { recursive: true });
const names = process.argv.slice(2);
for (const name of names.length ? names : ['okta', 'onelogin', 'entra', 'google', 'untrusted', 'sp']) {
  const pair = generateKeyPair(`idp-harness ${name} test key`);
  writeFileSync(join(dir, `${name}.key.pem`), pair.privateKeyPem);
  writeFileSync(join(dir, `${name}.cert.pem`), pair.certificatePem);
  console.log(`wrote fixtures/keys/${name}.{key,cert}.pem`);
}
