/**
 * Saves the SAML metadata of the four bundled IdP tenants (fixtures/setups/<idp>.yaml) as the
 * mock IdP publishes them at a fixed address, for a zoo SP to trust, as an SP administrator
 * downloads an IdP's metadata and uploads it to the SP:
 *
 *   node --import tsx targets/lib/idp-metadata.ts <idp port> <output dir>
 *
 * writes <output dir>/okta.xml, onelogin.xml, entra.xml and google.xml. The mock IdP the harness
 * later starts on that port serves the same tenants with the same keys, so the trust holds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSetupFile, startIdp } from '../../mock-idp/src/index.js';

const IDPS = ['okta', 'onelogin', 'entra', 'google'] as const;
const SETUPS = join(import.meta.dirname, '..', '..', 'fixtures', 'setups');

export async function saveIdpMetadata(port: number, outDir: string): Promise<void> {
  const setups = IDPS.map((idp) => loadSetupFile(join(SETUPS, `${idp}.yaml`)));
  const idp = await startIdp({ host: '127.0.0.1', port, setups });
  try {
    mkdirSync(outDir, { recursive: true });
    for (const [i, setup] of setups.entries()) {
      const res = await fetch(`${idp.url}/${setup.tenant}/metadata`);
      if (!res.ok) throw new Error(`${idp.url}/${setup.tenant}/metadata answered ${res.status}`);
      writeFileSync(join(outDir, `${IDPS[i]}.xml`), await res.text());
    }
  } finally {
    await idp.close();
  }
}

if (import.meta.filename === process.argv[1]) {
  const [port, outDir] = process.argv.slice(2);
  if (!port || !outDir || !/^\d+$/.test(port)) {
    console.error('usage: node --import tsx targets/lib/idp-metadata.ts <idp port> <output dir>');
    process.exit(2);
  }
  await saveIdpMetadata(Number(port), outDir);
}
