import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSp, type RunningSp } from '../../../sp-under-test/src/index.js';
import { FIXTURES_DIR } from '../paths.js';

import { EMBEDDED_CAPABILITIES } from './capabilities.js';
import { expectOk } from './clients.js';
import { MailCatcher } from './mail-catcher.js';
import { ReferenceApiObserver } from './observers/reference-api.js';
import { IN_PROCESS_MEMORY } from './sp-memory.js';
import type { PageMap } from './pages.js';
import {
  referenceMailKind,
  referenceOutcomes,
  referenceRefusalCode,
  referenceSignedIn,
} from './reference-markup.js';
import { customRoleBody, type RunSpec, type RunTarget, type Target, type WorkspaceSpec } from './target.js';

const spKeys = () => ({
  privateKeyPem: readFileSync(join(FIXTURES_DIR, 'keys', 'sp.key.pem'), 'utf8'),
  certificatePem: readFileSync(join(FIXTURES_DIR, 'keys', 'sp.cert.pem'), 'utf8'),
});

/**
 * Something in front of each run's SP (a proxy, say) that people and tools reach it through:
 * its URL becomes the SP's public URL, and it learns the SP once that is listening.
 */
export interface SpFront {
  url: string;
  attach(sp: RunningSp): void;
  close(): Promise<void>;
}

/**
 * The embedded reference SP. Each run gets its own SP instance with its own SQLite file,
 * so no run can see another's accounts, and the harness talks to it only over HTTP. One
 * SMTP mail catcher serves the whole suite; every run's SP sends its mail there.
 */
export class EmbeddedTarget implements Target {
  readonly kind = 'embedded';
  readonly description = 'embedded reference SP (sp-under-test)';
  readonly capabilities = EMBEDDED_CAPABILITIES;
  private readonly keys = spKeys();
  private catcher: Promise<MailCatcher> | undefined;

  constructor(private readonly options: { front?: () => Promise<SpFront> } = {}) {}

  private mailCatcher(): Promise<MailCatcher> {
    this.catcher ??= MailCatcher.start();
    return this.catcher;
  }

  async prepareRun(spec: RunSpec): Promise<RunTarget> {
    const mail = await this.mailCatcher();
    const front = await this.options.front?.();
    let sp: RunningSp;
    try {
      sp = await startSp({
        keyPair: this.keys,
        smtp: { host: mail.host, port: mail.port },
        ...(front ? { publicUrl: front.url } : {}),
      });
    } catch (e) {
      await front?.close();
      throw e;
    }
    front?.attach(sp);
    const url = front?.url ?? sp.url;
    const stop = async () => {
      await sp.close();
      await front?.close();
    };
    try {
      const admin = (method: string, path: string, body?: unknown) =>
        expectOk<Record<string, unknown>>(
          'reference SP admin API',
          method,
          `${url}/api/admin${path}`,
          sp.adminToken,
          body,
        );
      const addWorkspace = async (ws: WorkspaceSpec): Promise<RunTarget> => {
        const created = (await admin('POST', '/workspaces', {
          slug: ws.slug,
          name: ws.name ?? ws.slug,
          organisation: 'acme-corp',
          ...(ws.environments ? { environments: ws.environments } : {}),
        })) as { saml: { entityId: string; acsUrl: string } };
        for (const role of ws.customRoles ?? [])
          await admin('POST', `/workspaces/${ws.slug}/roles`, customRoleBody(role));
        return view(
          { url, adminToken: sp.adminToken, stop },
          this.keys.certificatePem,
          ws.slug,
          created.saml,
          admin,
          mail,
          addWorkspace,
        );
      };
      return await addWorkspace({
        slug: 'acme',
        name: 'Acme',
        ...(spec.environments ? { environments: spec.environments } : {}),
        ...(spec.customRoles ? { customRoles: spec.customRoles } : {}),
      });
    } catch (e) {
      await stop();
      throw e;
    }
  }

  async close(): Promise<void> {
    const c = this.catcher;
    this.catcher = undefined;
    if (c) await (await c).close();
  }
}

/** The reference SP's layout of the pages scenarios name (sp-under-test/src/http/routes/pages.ts). */
export function referencePages(url: string, workspace: string): PageMap {
  const w = `${url}/w/${encodeURIComponent(workspace)}`;
  return {
    home: w,
    deepLink: `${w}/recipes/42`,
    secondDeepLink: `${w}/connections/7`,
    signedOut: `${w}/signed-out`,
    signIn: `${w}/sign-in?email={email}&next={next}`,
    switcher: `${url}/switch`,
    environment: `${w}/env/{environment}`,
    members: `${w}/members`,
    folder: `${w}/env/{environment}/folders/{folder}`,
    recipe: `${w}/env/{environment}/recipes/{name}`,
    recipeEditor: `${w}/env/{environment}/recipes/{name}/edit`,
    connection: `${w}/env/{environment}/connections/{name}`,
    connectionEditor: `${w}/env/{environment}/connections/{name}/edit`,
  };
}

/** The run seen from one workspace of its SP. Disposing any view stops the SP. */
function view(
  sp: { url: string; adminToken: string; stop(): Promise<void> },
  certificatePem: string,
  workspace: string,
  saml: { entityId: string; acsUrl: string },
  admin: (method: string, path: string, body?: unknown) => Promise<unknown>,
  mail: MailCatcher,
  addWorkspace: (ws: WorkspaceSpec) => Promise<RunTarget>,
): RunTarget {
  const slo = `${sp.url}/saml/${workspace}/slo`;
  return {
    baseUrl: sp.url,
    workspace,
    spEntityId: saml.entityId,
    acsUrl: saml.acsUrl,
    loginUrl: `${sp.url}/w/${workspace}`,
    pages: referencePages(sp.url, workspace),
    sloUrls: { redirect: slo, post: slo },
    logoutUrl: `${sp.url}/saml/${workspace}/logout`,
    signingCertificatePem: certificatePem,
    observer: new ReferenceApiObserver(sp.url, sp.adminToken, workspace),
    async configureSaml(metadataXml, settings) {
      await admin('PUT', `/workspaces/${workspace}/saml`, { metadataXml, ...settings });
    },
    signedIn: referenceSignedIn(sp.url),
    outcome: referenceOutcomes(sp.url),
    refusalCode: referenceRefusalCode,
    memory: IN_PROCESS_MEMORY,
    admin,
    addWorkspace,
    mail,
    mailKind: referenceMailKind,
    dispose: () => sp.stop(),
  };
}
