import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { HarnessError } from '../errors.js';
import { PROJECT_ROOT, displayPath } from '../paths.js';
import { ObserverClient, expectOk } from './clients.js';
import { customRoleBody, type RunSpec, type RunTarget, type Target } from './target.js';

export const TARGET_SCHEMA = join(PROJECT_ROOT, 'harness', 'target.schema.json');

interface ApiSection {
  baseUrl: string;
  token?: string;
  tokenEnv?: string;
  workspace?: string;
}

/** A target file (harness/target.schema.json), as read. */
export interface TargetFile {
  name: string;
  sp: {
    metadataUrl?: string;
    entityId?: string;
    acsUrl?: string;
    loginUrl: string;
    sloUrl?: string;
    logoutUrl?: string;
    /** PEM; after loading, also the content of signingCertFile. */
    signingCertificate?: string;
    signingCertFile?: string;
    settings?: {
      jit?: boolean;
      jitEnvironments?: string[];
      allowIdpInitiated?: boolean;
      signAuthnRequests?: boolean;
    };
  };
  signedIn: { text?: string; pattern?: string; urlPrefix?: string };
  idp?: { host?: string; port?: number; publicUrl?: string };
  admin?: ApiSection;
  observer?: ApiSection;
  scim?: { baseUrl: string; token?: string; tokenEnv?: string };
}

const ajv = new Ajv({ allErrors: true, strict: false });
let validator: ReturnType<typeof ajv.compile<TargetFile>> | undefined;

const bad = (file: string, message: string) =>
  new HarnessError('ERR_TARGET_FILE', `${displayPath(file)}: ${message}`);

/** Reads and validates a target file (YAML or JSON); every problem is named with its key path. */
export function loadTargetFile(file: string, env: NodeJS.ProcessEnv = process.env): TargetFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw bad(file, `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw bad(file, `not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const validate = (validator ??= ajv.compile<TargetFile>(
    JSON.parse(readFileSync(TARGET_SCHEMA, 'utf8')) as object,
  ));
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
      const extra =
        e.keyword === 'additionalProperties'
          ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
          : '';
      return `${where}: ${e.message}${extra}`;
    });
    throw bad(file, problems.join('; '));
  }
  const t = value as TargetFile;
  if (!t.sp.metadataUrl && !(t.sp.entityId && t.sp.acsUrl) && !t.admin)
    throw bad(
      file,
      'sp needs metadataUrl, or entityId and acsUrl (or an admin section to create workspaces)',
    );
  if (!t.admin && !t.idp?.port)
    throw bad(file, 'idp.port is needed: a pre-configured SP trusts the mock IdP at a fixed address');
  if (t.signedIn.pattern !== undefined) {
    try {
      new RegExp(t.signedIn.pattern);
    } catch (e) {
      throw bad(file, `signedIn.pattern is not a regular expression: ${(e as Error).message}`);
    }
  }
  if (t.sp.signingCertFile) {
    if (t.sp.signingCertificate) throw bad(file, 'sp: give signingCertificate or signingCertFile, not both');
    const certFile = resolve(dirname(file), t.sp.signingCertFile);
    try {
      t.sp.signingCertificate = readFileSync(certFile, 'utf8');
    } catch (e) {
      throw bad(
        file,
        `sp.signingCertFile: cannot read ${displayPath(certFile)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  }
  if (t.sp.signingCertificate !== undefined && !t.sp.signingCertificate.includes('BEGIN CERTIFICATE'))
    throw bad(file, 'sp.signingCertificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)');
  for (const [section, s] of [
    ['admin', t.admin],
    ['observer', t.observer],
    ['scim', t.scim],
  ] as const) {
    if (s?.tokenEnv && !env[s.tokenEnv]) throw bad(file, `${section}.tokenEnv: $${s.tokenEnv} is not set`);
  }
  return t;
}

const tokenOf = (s: { token?: string; tokenEnv?: string } | undefined) =>
  s?.tokenEnv ? process.env[s.tokenEnv] : s?.token;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Entity ID and ACS URL (HTTP-POST binding) from SP metadata. */
export function readSpMetadata(xml: string): { entityId: string; acsUrl: string } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const md = 'urn:oasis:names:tc:SAML:2.0:metadata';
  const ed = doc.getElementsByTagNameNS(md, 'EntityDescriptor')[0];
  const acs = Array.from(doc.getElementsByTagNameNS(md, 'AssertionConsumerService'));
  const post =
    acs.find((a) => a.getAttribute('Binding') === 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST') ?? acs[0];
  const entityId = ed?.getAttribute('entityID');
  const acsUrl = post?.getAttribute('Location');
  if (!entityId || !acsUrl)
    throw new HarnessError(
      'ERR_TARGET_PROTOCOL',
      'the SP metadata has no entityID or AssertionConsumerService',
    );
  return { entityId, acsUrl };
}

/**
 * An SP that is not ours, described by a target file. With an `admin` section the harness
 * gives each run its own workspace through the SP's admin API (as with the reference SP);
 * without one, the SP is already set up to trust the mock IdP at `idp.port`, runs share its
 * workspace, and cases that need other SAML settings than `sp.settings` do not apply.
 * Without an `observer` section, checks on the SP's state are reported not-applicable.
 */
export class ExternalTarget implements Target {
  readonly kind = 'external';
  readonly description: string;

  constructor(readonly file: TargetFile) {
    this.description = `external SP "${file.name}"`;
  }

  /** Runs share one IdP tenant and workspace unless the admin API isolates them. */
  get sharedState(): boolean {
    return !this.file.admin;
  }

  idpListen() {
    const i = this.file.idp;
    return i ? { host: i.host, port: i.port, publicUrl: i.publicUrl } : undefined;
  }

  /** Why a case cannot run against this target, if it cannot. */
  cannotRun(spec: { saml?: Record<string, unknown> }): string | undefined {
    if (!this.sharedState) return undefined;
    const have = (this.file.sp.settings ?? {}) as Record<string, unknown>;
    const differ = Object.entries(spec.saml ?? {}).filter(
      ([k, v]) => JSON.stringify(have[k]) !== JSON.stringify(v),
    );
    if (differ.length === 0) return undefined;
    return `the case needs SAML settings ${differ.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} that the pre-configured target "${this.file.name}" does not declare (sp.settings), and it has no admin API to set them`;
  }

  async prepareRun(spec: RunSpec): Promise<RunTarget> {
    const f = this.file;
    let workspace = f.observer?.workspace ?? f.admin?.workspace ?? '';
    let entityId = f.sp.entityId;
    let acsUrl = f.sp.acsUrl;
    let configureSaml: RunTarget['configureSaml'] = async () => {};
    const adminToken = tokenOf(f.admin);
    const admin = f.admin
      ? (method: string, path: string, body?: unknown) =>
          expectOk<Record<string, unknown>>(
            `${f.name} admin API`,
            method,
            `${f.admin!.baseUrl.replace(/\/$/, '')}/api/admin${path}`,
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
    const fill = (s: string) => s.replaceAll('{workspace}', workspace);
    if (f.sp.metadataUrl && (!entityId || !acsUrl)) {
      const url = fill(f.sp.metadataUrl);
      let res: Response;
      try {
        res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      } catch (e) {
        throw new HarnessError(
          'ERR_TARGET_UNREACHABLE',
          `${f.name}: GET ${url} failed (${(e as Error).message})`,
        );
      }
      if (!res.ok)
        throw new HarnessError('ERR_TARGET_PROTOCOL', `${f.name}: GET ${url} answered ${res.status}`);
      ({ entityId, acsUrl } = readSpMetadata(await res.text()));
    }
    const login = new URL(fill(f.sp.loginUrl));
    const signedIn = f.signedIn;
    const observerToken = tokenOf(f.observer);
    const scimToken = tokenOf(f.scim);
    return {
      baseUrl: login.origin,
      workspace,
      spEntityId: fill(entityId!),
      acsUrl: fill(acsUrl!),
      homePath: login.pathname + login.search,
      ...(f.sp.sloUrl ? { sloUrl: fill(f.sp.sloUrl) } : {}),
      ...(f.sp.logoutUrl ? { logoutUrl: fill(f.sp.logoutUrl) } : {}),
      ...(f.sp.signingCertificate ? { signingCertificatePem: f.sp.signingCertificate } : {}),
      observer: f.observer
        ? new ObserverClient(f.observer.baseUrl.replace(/\/$/, ''), observerToken ?? '', workspace)
        : null,
      configureSaml,
      isSignedInAs(page, email) {
        if (signedIn.urlPrefix && !page.url.startsWith(signedIn.urlPrefix)) return false;
        if (signedIn.text && !page.text.includes(signedIn.text.replaceAll('{email}', email))) return false;
        if (signedIn.pattern) {
          const re = new RegExp(signedIn.pattern.replaceAll('{email}', escapeRegex(email)));
          if (!re.test(page.text)) return false;
        }
        return true;
      },
      ...(f.scim ? { scim: { baseUrl: fill(f.scim.baseUrl), token: scimToken ?? '' } } : {}),
      ...(this.sharedState ? { keepIdpTenant: true } : {}),
      dispose: async () => {},
    };
  }

  async close(): Promise<void> {}
}
