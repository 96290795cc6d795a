import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { HarnessError, InputError, type InputProblem } from '../errors.js';
import { parseLocated, problemAt, schemaProblems, type LocatedDocument } from '../input-problems.js';
import { PROJECT_ROOT, displayPath } from '../paths.js';
import { JsonPathError, compileJsonPath } from './json-path.js';
import type { MemberFieldPaths } from './observers/member-fields.js';
import type { ScimObserverPaths } from './observers/scim-observer.js';
import { mailPatternSource, type MailKindSection } from './file-mail-kinds.js';
import type { OutcomeSection } from './file-outcomes.js';
import type { MailKind } from './mail-kinds.js';
import { captureGroups, type SignedInSection } from './file-signed-in.js';
import type { Outcome } from './outcomes.js';
import { PAGE_PLACEHOLDERS, type PageName } from './pages.js';

export const TARGET_SCHEMA = join(PROJECT_ROOT, 'harness', 'target.schema.json');

interface Credentials {
  token?: string;
  tokenEnv?: string;
}

export interface ReferenceApiSection extends Credentials {
  kind?: 'reference-api';
  baseUrl: string;
  workspace?: string;
}

export interface ScimObserverSection extends Credentials, ScimObserverPaths {
  kind: 'scim';
  baseUrl?: string;
}

export interface MappingObserverSection extends Credentials {
  kind: 'mapping';
  headers?: Record<string, string>;
  members: { url: string; items: string } & MemberFieldPaths;
  sessions?: { url: string; items: string; email: string };
}

export type ObserverSection = ReferenceApiSection | ScimObserverSection | MappingObserverSection;

/** How a pre-configured SP is set up: every setting a scenario's `given.workspace` can require. */
export interface TargetSettings {
  jit?: boolean;
  jitEnvironments?: string[];
  allowIdpInitiated?: boolean;
  allowSha1?: boolean;
  signAuthnRequests?: boolean;
  groupSync?: boolean;
  enforceSamlFor?: 'all' | 'all-except-admins' | 'selected';
  /** false: the SP has no roles and no environments (a case's role setup does not apply to it). */
  roles?: boolean;
  /** The SP knows a person by the NameID alone: the email it shows is the NameID, whatever the attributes say. */
  emailFromNameId?: boolean;
  environments?: string[];
  customRoles?: string[];
  /** Each environment's default role for new members (seed 001). */
  defaultRoles?: Record<string, string>;
  authentication?: Record<string, ('saml' | 'password')[]>;
}

/** A target file (harness/target.schema.json, docs/target-file.md), as read. */
export interface TargetFile {
  name: string;
  sp: {
    metadataUrl?: string;
    entityId?: string;
    acsUrl?: string;
    loginUrl: string;
    workspace?: string;
    sloUrl?: string | { redirect?: string; post?: string };
    logoutUrl?: string;
    /** PEM; after loading, also the content of signingCertFile. */
    signingCertificate?: string;
    signingCertFile?: string;
    relayState?: 'path' | 'url';
    pages?: Partial<Record<PageName, string>>;
    settings?: TargetSettings;
  };
  signedIn: SignedInSection;
  /** How the SP shows each outcome scenarios expect (env/outcomes.ts). */
  outcomes?: Partial<Record<Outcome, OutcomeSection>>;
  /** Where the SP sends its mail (the harness catches it there) and what each mail is for (env/mail-kinds.ts). */
  mails?: {
    smtp: { host?: string; port: number };
    kinds?: Partial<Record<MailKind, MailKindSection>>;
  };
  idp?: { host?: string; port?: number; publicUrl?: string };
  admin?: ReferenceApiSection;
  observer?: ObserverSection;
  scim?: { baseUrl: string } & Credentials;
}

const ajv = new Ajv({ allErrors: true, strict: false });
let validator: ReturnType<typeof ajv.compile<TargetFile>> | undefined;

/** Placeholders every URL of a target file may hold. */
const URL_PLACEHOLDERS = ['workspace', 'idp'];

const fail = (problems: InputProblem[]) => new InputError('ERR_TARGET_FILE', problems);

/** A URL of the file: absolute http(s), or (pages only) a path; placeholders only those it may hold. */
function checkUrl(
  at: LocatedDocument,
  segments: (string | number)[],
  value: string,
  extra: readonly string[] = [],
  pathAllowed = false,
): InputProblem[] {
  const allowed = [...URL_PLACEHOLDERS, ...extra];
  const unknown = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((p) => !allowed.includes(p));
  if (unknown.length)
    return [
      problemAt(
        at,
        segments,
        `unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} (this URL may hold ${allowed.map((p) => `{${p}}`).join(', ')})`,
      ),
    ];
  const sample = value.replace(/\{[^}]*\}/g, 'x');
  if (pathAllowed && sample.startsWith('/')) return [];
  try {
    const u = new URL(sample);
    if (u.protocol === 'http:' || u.protocol === 'https:') return [];
  } catch {
    /* reported below */
  }
  return [
    problemAt(
      at,
      segments,
      `"${value}" is not an http(s) URL${pathAllowed ? ' or a path starting with /' : ''}`,
    ),
  ];
}

function checkJsonPath(at: LocatedDocument, segments: (string | number)[], value: string): InputProblem[] {
  try {
    compileJsonPath(value);
    return [];
  } catch (e) {
    if (e instanceof JsonPathError)
      return [problemAt(at, segments, `not a JSONPath this harness reads: ${e.message}`)];
    throw e;
  }
}

function regexProblems(at: LocatedDocument, segments: string[], source: string): InputProblem[] {
  try {
    new RegExp(source);
    return [];
  } catch (e) {
    return [problemAt(at, segments, `not a regular expression: ${(e as Error).message}`)];
  }
}

/** `signedIn` must name who: one of text, pattern, whoami, each readable. */
function signedInProblems(at: LocatedDocument, s: SignedInSection): InputProblem[] {
  const out: InputProblem[] = [];
  const given = (['text', 'pattern', 'whoami'] as const).filter((k) => s[k] !== undefined);
  if (given.length > 1)
    out.push(
      problemAt(at, ['signedIn', given[1]!], `give one of text, pattern, whoami, not ${given.join(' and ')}`),
    );
  if (s.pattern !== undefined) {
    const source = s.pattern.replaceAll('{email}', '(?<email>x)');
    try {
      if (!s.pattern.includes('{email}') && captureGroups(source) !== 1)
        out.push(
          problemAt(
            at,
            ['signedIn', 'pattern'],
            `has ${captureGroups(source)} capture groups: put {email} where the email stands, or capture it with exactly one group`,
          ),
        );
    } catch {
      out.push(...regexProblems(at, ['signedIn', 'pattern'], source));
    }
  }
  if (s.whoami !== undefined) out.push(...checkUrl(at, ['signedIn', 'whoami'], s.whoami));
  if (s.emailPath !== undefined) {
    if (s.whoami === undefined)
      out.push(
        problemAt(at, ['signedIn', 'emailPath'], 'emailPath reads the answer of whoami, which is not given'),
      );
    out.push(...checkJsonPath(at, ['signedIn', 'emailPath'], s.emailPath));
  }
  if (s.urlPrefix !== undefined) out.push(...checkUrl(at, ['signedIn', 'urlPrefix'], s.urlPrefix));
  return out;
}

function memberPathProblems(
  at: LocatedDocument,
  base: (string | number)[],
  paths: Partial<MemberFieldPaths>,
): InputProblem[] {
  const out: InputProblem[] = [];
  for (const key of ['email', 'name', 'status', 'groups', 'authMethod'] as const) {
    const v = paths[key];
    if (v !== undefined) out.push(...checkJsonPath(at, [...base, key], v));
  }
  if (typeof paths.roles === 'string') out.push(...checkJsonPath(at, [...base, 'roles'], paths.roles));
  else
    for (const [env, p] of Object.entries(paths.roles ?? {}))
      out.push(...checkJsonPath(at, [...base, 'roles', env], p));
  return out;
}

/** Checks beyond the schema: what must go together, URLs, placeholders, JSONPaths, files, environment variables. */
function meaningProblems(
  t: TargetFile,
  at: LocatedDocument,
  file: string,
  env: NodeJS.ProcessEnv,
): InputProblem[] {
  const out: InputProblem[] = [];
  if (!t.sp.metadataUrl && !(t.sp.entityId && t.sp.acsUrl) && !t.admin)
    out.push(
      problemAt(
        at,
        ['sp'],
        'sp needs metadataUrl, or entityId and acsUrl (or an admin section to create workspaces)',
      ),
    );
  if (!t.admin && !t.idp?.port)
    out.push(
      problemAt(
        at,
        ['idp', 'port'],
        'idp.port is needed: a pre-configured SP trusts the mock IdP at a fixed address',
      ),
    );
  for (const key of ['metadataUrl', 'acsUrl', 'loginUrl', 'logoutUrl'] as const) {
    const v = t.sp[key];
    if (v !== undefined) out.push(...checkUrl(at, ['sp', key], v));
  }
  if (typeof t.sp.sloUrl === 'string') out.push(...checkUrl(at, ['sp', 'sloUrl'], t.sp.sloUrl));
  else
    for (const [binding, v] of Object.entries(t.sp.sloUrl ?? {}))
      out.push(...checkUrl(at, ['sp', 'sloUrl', binding], v));
  for (const [page, v] of Object.entries(t.sp.pages ?? {}))
    out.push(...checkUrl(at, ['sp', 'pages', page], v, PAGE_PLACEHOLDERS[page as PageName] ?? [], true));
  out.push(...signedInProblems(at, t.signedIn));
  for (const [name, o] of Object.entries(t.outcomes ?? {})) {
    if (o.url !== undefined) out.push(...checkUrl(at, ['outcomes', name, 'url'], o.url));
    if (o.pattern !== undefined) out.push(...regexProblems(at, ['outcomes', name, 'pattern'], o.pattern));
  }
  for (const [kind, m] of Object.entries(t.mails?.kinds ?? {}))
    if (m.pattern !== undefined)
      out.push(...regexProblems(at, ['mails', 'kinds', kind, 'pattern'], mailPatternSource(m.pattern, 'w')));
  if (t.sp.signingCertFile) {
    if (t.sp.signingCertificate)
      out.push(
        problemAt(at, ['sp', 'signingCertFile'], 'give signingCertificate or signingCertFile, not both'),
      );
    const certFile = resolve(dirname(file), t.sp.signingCertFile);
    try {
      t.sp.signingCertificate = readFileSync(certFile, 'utf8');
    } catch (e) {
      out.push(
        problemAt(
          at,
          ['sp', 'signingCertFile'],
          `cannot read ${displayPath(certFile)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        ),
      );
    }
  }
  if (t.sp.signingCertificate !== undefined && !t.sp.signingCertificate.includes('BEGIN CERTIFICATE'))
    out.push(
      problemAt(
        at,
        ['sp', t.sp.signingCertFile ? 'signingCertFile' : 'signingCertificate'],
        'not a PEM certificate (-----BEGIN CERTIFICATE-----)',
      ),
    );
  for (const [section, s] of [
    ['admin', t.admin],
    ['observer', t.observer],
    ['scim', t.scim],
  ] as const) {
    if (s?.tokenEnv && !env[s.tokenEnv])
      out.push(problemAt(at, [section, 'tokenEnv'], `$${s.tokenEnv} is not set`));
    if (s && 'baseUrl' in s && s.baseUrl !== undefined)
      out.push(...checkUrl(at, [section, 'baseUrl'], s.baseUrl));
  }
  const o = t.observer;
  if (o?.kind === 'scim') {
    if (!o.baseUrl && !t.scim)
      out.push(
        problemAt(at, ['observer'], 'a scim observer needs baseUrl, or the scim section to read from'),
      );
    out.push(...memberPathProblems(at, ['observer'], o));
  }
  if (o?.kind === 'mapping') {
    out.push(...checkUrl(at, ['observer', 'members', 'url'], o.members.url));
    out.push(...checkJsonPath(at, ['observer', 'members', 'items'], o.members.items));
    out.push(...memberPathProblems(at, ['observer', 'members'], o.members));
    if (o.sessions) {
      out.push(...checkUrl(at, ['observer', 'sessions', 'url'], o.sessions.url));
      out.push(...checkJsonPath(at, ['observer', 'sessions', 'items'], o.sessions.items));
      out.push(...checkJsonPath(at, ['observer', 'sessions', 'email'], o.sessions.email));
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Reads and validates a target file (YAML or JSON). Every problem is reported with the file,
 * line, column and key path (InputError ERR_TARGET_FILE); all of them at once.
 */
export function loadTargetFile(file: string, env: NodeJS.ProcessEnv = process.env): TargetFile {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HarnessError(
      'ERR_TARGET_FILE',
      `${shown}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const { located, problems } = parseLocated(text, shown);
  if (problems.length) throw fail(problems);
  const value: unknown = located.doc.toJS();
  const validate = (validator ??= ajv.compile<TargetFile>(
    JSON.parse(readFileSync(TARGET_SCHEMA, 'utf8')) as object,
  ));
  if (!validate(value)) throw fail(schemaProblems(located, validate.errors ?? []));
  const t = value as TargetFile;
  const meaning = meaningProblems(t, located, file, env);
  if (meaning.length) throw fail(meaning);
  return t;
}
