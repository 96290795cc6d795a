import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSp } from '../../../sp-under-test/src/index.js';
import { FIXTURES_DIR } from '../paths.js';
import { ObserverClient, expectOk } from './clients.js';
import type { RunSpec, RunTarget, Target } from './target.js';

const spKeys = () => ({
  privateKeyPem: readFileSync(join(FIXTURES_DIR, 'keys', 'sp.key.pem'), 'utf8'),
  certificatePem: readFileSync(join(FIXTURES_DIR, 'keys', 'sp.cert.pem'), 'utf8'),
});

/**
 * The embedded reference SP. Each run gets its own SP instance with its own SQLite file,
 * so no run can see another's accounts, and the harness talks to it only over HTTP.
 */
export class EmbeddedTarget implements Target {
  readonly kind = 'embedded';
  readonly description = 'embedded reference SP (sp-under-test)';
  private readonly keys = spKeys();

  async prepareRun(spec: RunSpec): Promise<RunTarget> {
    const sp = await startSp({ keyPair: this.keys });
    try {
      const workspace = 'acme';
      const admin = (method: string, path: string, body?: unknown) =>
        expectOk<Record<string, unknown>>(
          'reference SP admin API',
          method,
          `${sp.url}/api/admin${path}`,
          sp.adminToken,
          body,
        );
      const created = (await admin('POST', '/workspaces', {
        slug: workspace,
        name: 'Acme',
        ...(spec.environments ? { environments: spec.environments } : {}),
      })) as { saml: { entityId: string; acsUrl: string } };
      for (const role of spec.customRoles ?? [])
        await admin('POST', `/workspaces/${workspace}/roles`, { name: role });
      return {
        baseUrl: sp.url,
        workspace,
        spEntityId: created.saml.entityId,
        acsUrl: created.saml.acsUrl,
        homePath: `/w/${workspace}`,
        observer: new ObserverClient(sp.url, sp.adminToken, workspace),
        async configureSaml(metadataXml, settings) {
          await admin('PUT', `/workspaces/${workspace}/saml`, { metadataXml, ...settings });
        },
        isSignedInAs: (page, email) =>
          page.url.startsWith(sp.url) && page.text.includes(`Signed in as ${email}`),
        dispose: () => sp.close(),
      };
    } catch (e) {
      await sp.close();
      throw e;
    }
  }

  async close(): Promise<void> {}
}
