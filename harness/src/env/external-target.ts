import { randomBytes } from 'node:crypto';
import { HarnessError } from '../errors.js';
import { httpExchange, whyNoAnswer, type HttpAnswer } from '../http-exchange.js';
import { capabilitiesOf, declaredSloUrls, type TargetCapabilities } from './capabilities.js';
import { expectOk } from './clients.js';
import { fileMailKinds } from './file-mail-kinds.js';
import { fileOutcomes } from './file-outcomes.js';
import { MAIL_CATCHER_DEFAULTS, MailCatcher } from './mail-catcher.js';
import { fileSignedInReader } from './file-signed-in.js';
import { observerFor } from './observers/index.js';
import { absolutePage, type PageMap, type PageName } from './pages.js';
import { readSpMetadata, type SpMetadata } from './sp-metadata.js';
import type { TargetFile } from './target-file.js';
import { customRoleBody, type RunSpec, type RunTarget, type Target } from './target.js';

export { loadTargetFile, TARGET_SCHEMA, type TargetFile } from './target-file.js';
export { readSpMetadata } from './sp-metadata.js';

const tokenOf = (s: { token?: string; tokenEnv?: string } | undefined) =>
  s?.tokenEnv ? process.env[s.tokenEnv] : s?.token;

/** Fetches and reads the SP's metadata; an SP that does not answer is unreachable, one that answers wrongly a protocol error. */
export async function fetchSpMetadata(name: string, url: string, timeoutMs = 15_000): Promise<SpMetadata> {
  let res: HttpAnswer;
  try {
    res = await httpExchange(url, { method: 'GET', timeoutMs });
  } catch (e) {
    throw new HarnessError('ERR_TARGET_UNREACHABLE', `${name}: GET ${url} failed (${whyNoAnswer(e)})`, {
      cause: e,
    });
  }
  if (res.status >= 400)
    throw new HarnessError('ERR_TARGET_PROTOCOL', `${name}: GET ${url} answered ${res.status}`);
  return readSpMetadata(res.text);
}

/**
 * An SP that is not ours, described by a target file (docs/target-file.md). With an `admin`
 * section the harness gives each run its own workspace through the SP's admin API (as with the
 * reference SP); without one, the SP is already set up to trust the mock IdP at `idp.port`, runs
 * share its workspace, and cases that need settings other than `sp.settings` do not apply. Its
 * state is read by the observer the file declares (env/observers/), or not at all.
 */
export class ExternalTarget implements Target {
  readonly kind = 'external';
  readonly description: string;
  readonly capabilities: TargetCapabilities;

  private catcher: Promise<MailCatcher> | undefined;

  constructor(readonly file: TargetFile) {
    this.description = `external SP "${file.name}"`;
    this.capabilities = capabilitiesOf(file);
  }

  /** Runs share one IdP tenant and workspace unless the admin API isolates them. */
  get sharedState(): boolean {
    return !this.file.admin;
  }

  idpListen() {
    const i = this.file.idp;
    return i ? { host: i.host, port: i.port, publicUrl: i.publicUrl } : undefined;
  }

  /** The SMTP server the SP sends its mail to (`mails.smtp`), started once for all runs; absent without one. */
  private async mailCatcher(): Promise<MailCatcher | undefined> {
    const smtp = this.file.mails?.smtp;
    if (!smtp) return undefined;
    this.catcher ??= MailCatcher.start({ host: smtp.host ?? MAIL_CATCHER_DEFAULTS.host, port: smtp.port });
    try {
      return await this.catcher;
    } catch (e) {
      this.catcher = undefined;
      throw new HarnessError(
        'ERR_TARGET_MAIL',
        `${this.file.name}: cannot listen for the SP's mail on ${smtp.host ?? MAIL_CATCHER_DEFAULTS.host}:${smtp.port} (mails.smtp): ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  async prepareRun(spec: RunSpec): Promise<RunTarget> {
    const f = this.file;
    const mail = await this.mailCatcher();
    const referenceObserver = f.observer && f.observer.kind !== 'scim' && f.observer.kind !== 'mapping';
    let workspace = (
      f.sp.workspace ??
      (referenceObserver ? (f.observer as { workspace?: string }).workspace : undefined) ??
      f.admin?.workspace ??
      ''
    ).replaceAll('{idp}', spec.idp);
    let entityId = f.sp.entityId;
    let acsUrl = f.sp.acsUrl;
    let configureSaml: RunTarget['configureSaml'] = async () => {};
    const adminToken = tokenOf(f.admin);
    const admin = f.admin
      ? (method: string, path: string, body?: unknown) =>
          expectOk<Record<string, unknown>>(
            `${f.name} admin API`,
            method,
            `${f.admin!.baseUrl.replaceAll('{idp}', spec.idp).replace(/\/$/, '')}/api/admin${path}`,
            adminToken,
            body,
          )
      : undefined;
    if (admin) {
      workspace = `h-${spec.runId}-${randomBytes(2).toString('hex')}`;
      const created = (await admin('POST', '/workspaces', {
        slug: workspace,
        name: `harness run ${spec.runId}`,
        ...(spec.environments ? { environments: spec.environments } : {}),
      })) as { saml?: { entityId?: string; acsUrl?: string } };
      for (const role of spec.customRoles ?? [])
        await admin('POST', `/workspaces/${workspace}/roles`, customRoleBody(role));
      entityId = created.saml?.entityId ?? entityId;
      acsUrl = created.saml?.acsUrl ?? acsUrl;
      configureSaml = async (metadataXml, settings) => {
        await admin('PUT', `/workspaces/${workspace}/saml`, { metadataXml, ...settings });
      };
    }
    const fill = (s: string) => s.replaceAll('{workspace}', workspace).replaceAll('{idp}', spec.idp);
    let sloUrls = declaredSloUrls(f.sp.sloUrl);
    if (f.sp.metadataUrl && (!entityId || !acsUrl || !sloUrls)) {
      const md = await fetchSpMetadata(f.name, fill(f.sp.metadataUrl));
      entityId ??= md.entityId;
      acsUrl ??= md.acsUrl;
      sloUrls ??= md.sloUrls;
    }
    const loginUrl = fill(f.sp.loginUrl);
    const origin = new URL(loginUrl).origin;
    const pages: PageMap = { home: loginUrl };
    for (const [name, value] of Object.entries(f.sp.pages ?? {}))
      pages[name as PageName] = absolutePage(fill(value), origin);
    const scimToken = tokenOf(f.scim);
    return {
      baseUrl: origin,
      workspace,
      spEntityId: fill(entityId!),
      acsUrl: fill(acsUrl!),
      loginUrl,
      pages,
      relayState: f.sp.relayState ?? 'path',
      ...(sloUrls
        ? {
            sloUrls: Object.fromEntries(
              Object.entries(sloUrls).map(([b, u]) => [b, absolutePage(fill(u), origin)]),
            ),
          }
        : {}),
      ...(f.sp.logoutUrl ? { logoutUrl: fill(f.sp.logoutUrl) } : {}),
      ...(f.sp.signingCertificate ? { signingCertificatePem: f.sp.signingCertificate } : {}),
      observer: observerFor(f, workspace, fill),
      configureSaml,
      signedIn: fileSignedInReader(f.signedIn, fill),
      outcome: fileOutcomes(f.outcomes, fill),
      ...(admin ? { admin } : {}),
      ...(f.scim ? { scim: { baseUrl: fill(f.scim.baseUrl), token: scimToken ?? '' } } : {}),
      ...(mail ? { mail, mailKind: fileMailKinds(f.mails?.kinds) } : {}),
      ...(this.sharedState ? { keepIdpTenant: true } : {}),
      dispose: async () => {},
    };
  }

  async close(): Promise<void> {
    const c = this.catcher;
    this.catcher = undefined;
    if (c) await (await c.catch(() => undefined))?.close();
  }
}
