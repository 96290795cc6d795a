import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseIdpMetadata } from '../../metadata.js';
import { SYSTEM_ROLES } from '../../roles.js';
import { CertificateUnreadable, readCertificates } from '../../saml/certificates.js';
import { SamlRejected } from '../../saml/errors.js';
import { hashPassword } from '../../passwords.js';
import { ASSET_KINDS, createAsset, listAssets, type AssetKind } from '../../store/assets.js';
import { audit, listAudit } from '../../store/audit.js';
import {
  AUTH_METHODS,
  environmentMethods,
  putEnvironmentMethods,
  type AuthMethod,
} from '../../store/environment-auth.js';
import { groupsOfMember, listGroups, replaceMemberGroups } from '../../store/groups.js';
import { listOutbox } from '../../store/mail-outbox.js';
import {
  addMember,
  createUser,
  findMemberByEmail,
  findUserByEmail,
  listMembers,
  setMemberAuthMethod,
  setMemberRoles,
  setMemberStatus,
  setUserPasswordHash,
} from '../../store/members.js';
import {
  ensureOrganisation,
  listOrganisations,
  organisationOfWorkspace,
  setWorkspaceOrganisation,
} from '../../store/organisations.js';
import { liveSessions } from '../../store/sessions.js';
import {
  ENFORCE_SAML_FOR,
  addCustomRole,
  createWorkspace,
  customRoleNames,
  customRoles,
  findWorkspace,
  getSamlSettings,
  listWorkspaces,
  putSamlSettings,
  type EnforceSamlFor,
  type Workspace,
} from '../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../context.js';
import { adminViewRoutes } from './admin-view.js';

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function requireAdmin(ctx: SpContext) {
  const expected = digest(ctx.config.adminToken);
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !timingSafeEqual(digest(given), expected)) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer')
        .json({ error: { code: 'ERR_ADMIN_TOKEN', message: 'a valid admin bearer token is required' } });
      return;
    }
    next();
  };
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ENV = /^[A-Z][A-Z0-9_]{0,15}$/;

function body(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw new AdminError(400, 'ERR_BAD_REQUEST', 'a JSON object body is required');
  return b as Record<string, unknown>;
}

function workspaceOf(ctx: SpContext, req: Request): Workspace {
  const ws = findWorkspace(ctx.db, String(req.params.ws));
  if (!ws) throw new AdminError(404, 'ERR_NO_WORKSPACE', `no workspace ${String(req.params.ws)}`);
  return ws;
}

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new AdminError(400, 'ERR_BAD_REQUEST', `${what} must be an array of strings`);
  return v as string[];
}

const ACCESS_LEVELS = ['none', 'view', 'edit'];

/** Custom role permissions (seed 000 "custom roles with specific access to folders, or permissions to edit connections and recipes"). */
function rolePermissions(v: unknown): { folders: string[]; connections: string; recipes: string } {
  if (v === undefined) return { folders: [], connections: 'none', recipes: 'none' };
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new AdminError(400, 'ERR_BAD_REQUEST', 'permissions must be an object');
  const p = v as Record<string, unknown>;
  const unknown = Object.keys(p).filter((k) => !['folders', 'connections', 'recipes'].includes(k));
  if (unknown.length)
    throw new AdminError(400, 'ERR_BAD_REQUEST', `unknown permissions: ${unknown.join(', ')}`);
  const level = (k: 'connections' | 'recipes') => {
    const x = p[k] ?? 'none';
    if (!ACCESS_LEVELS.includes(x as string))
      throw new AdminError(
        400,
        'ERR_BAD_REQUEST',
        `permissions.${k} must be one of ${ACCESS_LEVELS.join(', ')}`,
      );
    return x as string;
  };
  return {
    folders: p.folders === undefined ? [] : stringList(p.folders, 'permissions.folders'),
    connections: level('connections'),
    recipes: level('recipes'),
  };
}

/** A role per environment, each role known to the workspace (names are case-sensitive). */
function roleMap(ctx: SpContext, ws: Workspace, v: unknown): Record<string, string> {
  if (v === undefined) return Object.fromEntries(ws.environments.map((e) => [e, 'Operator']));
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new AdminError(400, 'ERR_BAD_REQUEST', 'roles must map environments to role names');
  const known = new Set<string>([...SYSTEM_ROLES, ...customRoleNames(ctx.db, ws.id)]);
  for (const [env, role] of Object.entries(v as Record<string, unknown>)) {
    if (!ws.environments.includes(env))
      throw new AdminError(
        400,
        'ERR_BAD_REQUEST',
        `environment ${env} is not among ${ws.environments.join(', ')}`,
      );
    if (typeof role !== 'string' || !known.has(role))
      throw new AdminError(400, 'ERR_UNKNOWN_ROLE', `role ${String(role)} is not defined in ${ws.slug}`);
  }
  return v as Record<string, string>;
}

/** Reads IdP metadata from a URL (seed 001 "Provide your metadata URL"), refusing what is not plainly metadata. */
async function fetchMetadata(url: string): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AdminError(400, 'ERR_BAD_REQUEST', 'metadataUrl must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new AdminError(400, 'ERR_BAD_REQUEST', 'metadataUrl must be an absolute http(s) URL');
  try {
    const res = await fetch(parsed, { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
    const text = await res.text();
    if (!res.ok) throw new Error(`answered ${res.status}`);
    if (text.length > 1024 * 1024) throw new Error('the document is larger than 1 MB');
    return text;
  } catch (e) {
    throw new AdminError(
      400,
      'ERR_BAD_METADATA',
      `metadata at ${url} could not be read: ${(e as Error).message}`,
    );
  }
}

/** The observer and admin API that the harness and other tools read the SP's state through. */
export function adminRoutes(ctx: SpContext): Router {
  const r = express.Router();
  r.use(adminViewRoutes(ctx));
  r.use('/api/admin', requireAdmin(ctx), express.json({ limit: '1mb' }));

  r.get('/api/admin/organisations', (_req, res) => {
    res.json(
      listOrganisations(ctx.db).map((o) => ({ slug: o.slug, name: o.name, workspaces: o.workspaces })),
    );
  });

  r.get('/api/admin/workspaces/:ws', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const settings = getSamlSettings(ctx.db, ws.id);
    res.json({
      slug: ws.slug,
      name: ws.name,
      organisation: organisationOfWorkspace(ctx.db, ws.id)?.slug ?? null,
      environments: ws.environments,
      authentication: {
        environments: environmentMethods(ctx.db, ws.id, ws.environments),
        enforceSamlFor: settings?.enforceSamlFor ?? ctx.config.enforceSamlFor,
      },
      saml: { configured: !!settings, entityId: spEntityId(ctx, ws.slug), acsUrl: acsUrl(ctx, ws.slug) },
    });
  });

  r.put('/api/admin/workspaces/:ws/authentication', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = body(req);
    const envs = b.environments ?? {};
    if (!envs || typeof envs !== 'object' || Array.isArray(envs))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'environments must map environment names to method lists');
    const methods: Record<string, AuthMethod[]> = {};
    for (const [env, list] of Object.entries(envs as Record<string, unknown>)) {
      if (!ws.environments.includes(env))
        throw new AdminError(
          400,
          'ERR_BAD_REQUEST',
          `environment ${env} is not among ${ws.environments.join(', ')}`,
        );
      const m = stringList(list, `environments.${env}`);
      if (m.length === 0 || m.some((x) => !(AUTH_METHODS as readonly string[]).includes(x)))
        throw new AdminError(
          400,
          'ERR_BAD_REQUEST',
          `environments.${env} must list some of ${AUTH_METHODS.join(', ')}`,
        );
      methods[env] = [...new Set(m)] as AuthMethod[];
    }
    let enforce: EnforceSamlFor | undefined;
    if (b.enforceSamlFor !== undefined) {
      if (!(ENFORCE_SAML_FOR as readonly unknown[]).includes(b.enforceSamlFor))
        throw new AdminError(
          400,
          'ERR_BAD_REQUEST',
          `enforceSamlFor must be one of ${ENFORCE_SAML_FOR.join(', ')}`,
        );
      enforce = b.enforceSamlFor as EnforceSamlFor;
    }
    const settings = getSamlSettings(ctx.db, ws.id);
    if (enforce && !settings)
      throw new AdminError(409, 'ERR_SAML_NOT_CONFIGURED', 'configure SAML before enforcing it');
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      putEnvironmentMethods(ctx.db, ws.id, methods);
      if (enforce && settings) putSamlSettings(ctx.db, ws.id, { ...settings, enforceSamlFor: enforce }, now);
    })();
    audit(
      ctx.db,
      ws.id,
      'admin',
      'authentication.configured',
      ws.slug,
      { environments: methods, enforceSamlFor: enforce ?? null },
      now,
    );
    res.json({
      environments: environmentMethods(ctx.db, ws.id, ws.environments),
      enforceSamlFor: getSamlSettings(ctx.db, ws.id)?.enforceSamlFor ?? ctx.config.enforceSamlFor,
    });
  });

  r.get('/api/admin/workspaces', (_req, res) => {
    res.json(
      listWorkspaces(ctx.db).map((w) => ({ slug: w.slug, name: w.name, environments: w.environments })),
    );
  });

  r.post('/api/admin/workspaces', (req, res) => {
    const b = body(req);
    const slug = b.slug;
    if (typeof slug !== 'string' || !SLUG.test(slug))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'slug must match ' + SLUG.source);
    const environments =
      b.environments === undefined
        ? ctx.config.defaultEnvironments
        : stringList(b.environments, 'environments');
    if (
      environments.length === 0 ||
      environments.some((e) => !ENV.test(e)) ||
      new Set(environments).size !== environments.length
    ) {
      throw new AdminError(
        400,
        'ERR_BAD_REQUEST',
        'environments must be distinct upper-case names such as DEV, TEST, PROD',
      );
    }
    if (findWorkspace(ctx.db, slug))
      throw new AdminError(409, 'ERR_WORKSPACE_EXISTS', `workspace ${slug} exists`);
    const name = typeof b.name === 'string' && b.name ? b.name : slug;
    const now = ctx.clock.now();
    const orgSlug = b.organisation === undefined ? 'default' : b.organisation;
    if (typeof orgSlug !== 'string' || !SLUG.test(orgSlug))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'organisation must match ' + SLUG.source);
    const ws = ctx.db.transaction(() => {
      const created = createWorkspace(ctx.db, slug, name, environments, now);
      setWorkspaceOrganisation(ctx.db, created.id, ensureOrganisation(ctx.db, orgSlug, orgSlug, now).id);
      return created;
    })();
    audit(ctx.db, ws.id, 'admin', 'workspace.created', slug, { environments, organisation: orgSlug }, now);
    res.status(201).json({
      slug: ws.slug,
      name: ws.name,
      organisation: orgSlug,
      environments: ws.environments,
      saml: {
        entityId: spEntityId(ctx, slug),
        acsUrl: acsUrl(ctx, slug),
        metadataUrl: spEntityId(ctx, slug),
      },
    });
  });

  r.get('/api/admin/workspaces/:ws/saml', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json({
      ...getSamlSettings(ctx.db, ws.id),
      sp: { entityId: spEntityId(ctx, ws.slug), acsUrl: acsUrl(ctx, ws.slug) },
    });
  });

  r.put('/api/admin/workspaces/:ws/saml', async (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = body(req);
    let idp: { entityId: string; ssoUrl: string; sloUrl: string | null; certificates: string[] };
    if (typeof b.metadataUrl === 'string' && b.metadataXml === undefined) {
      b.metadataXml = await fetchMetadata(b.metadataUrl);
    }
    if (typeof b.metadataXml === 'string') {
      try {
        idp = parseIdpMetadata(b.metadataXml);
      } catch (e) {
        if (e instanceof SamlRejected) throw new AdminError(400, 'ERR_BAD_METADATA', e.message);
        throw e;
      }
    } else {
      if (typeof b.entityId !== 'string' || typeof b.ssoUrl !== 'string') {
        throw new AdminError(
          400,
          'ERR_BAD_REQUEST',
          'give metadataXml or metadataUrl, or entityId, ssoUrl and certificates',
        );
      }
      const certificates = stringList(b.certificates, 'certificates');
      if (certificates.length === 0)
        throw new AdminError(400, 'ERR_BAD_REQUEST', 'at least one certificate is required');
      idp = {
        entityId: b.entityId,
        ssoUrl: b.ssoUrl,
        sloUrl: typeof b.sloUrl === 'string' ? b.sloUrl : null,
        certificates,
      };
    }
    let read: ReturnType<typeof readCertificates>;
    try {
      read = readCertificates(idp.certificates, ctx.clock.now());
    } catch (e) {
      if (e instanceof CertificateUnreadable) throw new AdminError(400, 'ERR_BAD_CERTIFICATE', e.message);
      throw e;
    }
    idp.certificates = read.bodies;
    const jitEnvironments =
      b.jitEnvironments === undefined || b.jitEnvironments === null
        ? null
        : stringList(b.jitEnvironments, 'jitEnvironments');
    if (jitEnvironments?.some((e) => !ws.environments.includes(e))) {
      throw new AdminError(
        400,
        'ERR_BAD_REQUEST',
        `jitEnvironments must be among ${ws.environments.join(', ')}`,
      );
    }
    const previous = getSamlSettings(ctx.db, ws.id);
    if (
      b.enforceSamlFor !== undefined &&
      !(ENFORCE_SAML_FOR as readonly unknown[]).includes(b.enforceSamlFor)
    )
      throw new AdminError(
        400,
        'ERR_BAD_REQUEST',
        `enforceSamlFor must be one of ${ENFORCE_SAML_FOR.join(', ')}`,
      );
    if (b.groupSync !== undefined && typeof b.groupSync !== 'boolean')
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'groupSync must be true or false');
    if (b.allowSha1 !== undefined && b.allowSha1 !== null && typeof b.allowSha1 !== 'boolean')
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'allowSha1 must be true, false or null (the SP default)');
    if (b.signAuthnRequests !== undefined && typeof b.signAuthnRequests !== 'boolean')
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'signAuthnRequests must be true or false');
    const settings = {
      enforceSamlFor:
        (b.enforceSamlFor as EnforceSamlFor | undefined) ??
        previous?.enforceSamlFor ??
        ctx.config.enforceSamlFor,
      groupSync: (b.groupSync as boolean | undefined) ?? previous?.groupSync ?? false,
      allowSha1: b.allowSha1 === undefined ? (previous?.allowSha1 ?? null) : (b.allowSha1 as boolean | null),
      signAuthnRequests: (b.signAuthnRequests as boolean | undefined) ?? previous?.signAuthnRequests ?? false,
      idpEntityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      sloUrl: idp.sloUrl,
      certificates: idp.certificates,
      jit: b.jit === undefined ? true : b.jit === true,
      jitEnvironments,
      allowIdpInitiated: b.allowIdpInitiated === undefined ? true : b.allowIdpInitiated === true,
    };
    const now = ctx.clock.now();
    putSamlSettings(ctx.db, ws.id, settings, now);
    audit(
      ctx.db,
      ws.id,
      'admin',
      'saml.configured',
      idp.entityId,
      {
        jit: settings.jit,
        groupSync: settings.groupSync,
        enforceSamlFor: settings.enforceSamlFor,
        warnings: read.warnings.map((w) => w.code),
      },
      now,
    );
    res.json({
      ...settings,
      sp: { entityId: spEntityId(ctx, ws.slug), acsUrl: acsUrl(ctx, ws.slug) },
      warnings: read.warnings,
    });
  });

  r.get('/api/admin/workspaces/:ws/roles', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json({
      system: SYSTEM_ROLES,
      custom: customRoleNames(ctx.db, ws.id),
      customRoles: customRoles(ctx.db, ws.id),
    });
  });

  r.post('/api/admin/workspaces/:ws/roles', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = body(req);
    if (
      typeof b.name !== 'string' ||
      !/^[A-Za-z0-9_.-]{1,64}$/.test(b.name) ||
      (SYSTEM_ROLES as readonly string[]).includes(b.name)
    ) {
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'name must be a new role name of letters, digits, _ . -');
    }
    const permissions = rolePermissions(b.permissions);
    addCustomRole(ctx.db, ws.id, b.name, permissions);
    audit(ctx.db, ws.id, 'admin', 'role.created', b.name, {}, ctx.clock.now());
    res.status(201).json({ name: b.name, permissions });
  });

  r.get('/api/admin/workspaces/:ws/members', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json(
      listMembers(ctx.db, ws.id).map((m) => ({
        email: m.email,
        name: m.name,
        status: m.status,
        roles: m.roles,
        groups: groupsOfMember(ctx.db, m.memberId),
        authMethod: m.authMethod,
        source: m.source,
        createdAt: m.createdAt,
      })),
    );
  });

  r.post('/api/admin/workspaces/:ws/members', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = body(req);
    if (typeof b.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(b.email))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'email must be an email address');
    const email = b.email;
    const roles = roleMap(ctx, ws, b.roles);
    const groups = b.groups === undefined ? [] : stringList(b.groups, 'groups');
    const password = b.password === undefined ? undefined : b.password;
    if (password !== undefined && (typeof password !== 'string' || password.length < 8))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'password must have at least 8 characters');
    const authMethod = b.authMethod ?? (password ? 'password' : 'saml');
    if (authMethod !== 'saml' && authMethod !== 'password')
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'authMethod must be saml or password');
    if (findMemberByEmail(ctx.db, ws.id, email))
      throw new AdminError(409, 'ERR_MEMBER_EXISTS', `${email} is already a member of ${ws.slug}`);
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      const user = findUserByEmail(ctx.db, email);
      const name = typeof b.name === 'string' && b.name.trim() ? b.name.trim() : email.split('@')[0]!;
      const userId = user?.id ?? createUser(ctx.db, email, name, now);
      if (typeof password === 'string') setUserPasswordHash(ctx.db, userId, hashPassword(password));
      const memberId = addMember(ctx.db, ws.id, userId, roles, 'admin', now, authMethod);
      replaceMemberGroups(ctx.db, ws.id, memberId, groups, 'admin', now);
      audit(ctx.db, ws.id, 'admin', 'member.created', email, { roles, groups, authMethod }, now);
    })();
    const m = findMemberByEmail(ctx.db, ws.id, email)!;
    res.status(201).json({
      email: m.email,
      name: m.name,
      status: m.status,
      roles: m.roles,
      groups,
      authMethod: m.authMethod,
    });
  });

  r.patch('/api/admin/workspaces/:ws/members/:email', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = body(req);
    const m = findMemberByEmail(ctx.db, ws.id, String(req.params.email));
    if (!m) throw new AdminError(404, 'ERR_NO_MEMBER', `no member ${String(req.params.email)} in ${ws.slug}`);
    const roles = b.roles === undefined ? undefined : roleMap(ctx, ws, b.roles);
    const status = b.status;
    if (status !== undefined && !['active', 'suspended', 'deactivated'].includes(status as string))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'status must be active, suspended or deactivated');
    const authMethod = b.authMethod;
    if (authMethod !== undefined && authMethod !== 'saml' && authMethod !== 'password')
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'authMethod must be saml or password');
    const groups = b.groups === undefined ? undefined : stringList(b.groups, 'groups');
    const password = b.password;
    if (password !== undefined && (typeof password !== 'string' || password.length < 8))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'password must have at least 8 characters');
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      if (typeof password === 'string') setUserPasswordHash(ctx.db, m.userId, hashPassword(password));
      if (roles) setMemberRoles(ctx.db, m.memberId, roles);
      if (typeof status === 'string') setMemberStatus(ctx.db, m.memberId, status);
      if (authMethod) setMemberAuthMethod(ctx.db, m.memberId, authMethod);
      if (groups) replaceMemberGroups(ctx.db, ws.id, m.memberId, groups, 'admin', now);
      audit(
        ctx.db,
        ws.id,
        'admin',
        'member.updated',
        m.email,
        { roles, status, authMethod, groups, passwordChanged: typeof password === 'string' },
        now,
      );
    })();
    const after = findMemberByEmail(ctx.db, ws.id, m.email)!;
    res.json({
      email: after.email,
      name: after.name,
      status: after.status,
      roles: after.roles,
      groups: groupsOfMember(ctx.db, after.memberId),
      authMethod: after.authMethod,
    });
  });

  r.get('/api/admin/workspaces/:ws/groups', (req, res) => {
    res.json(listGroups(ctx.db, workspaceOf(ctx, req).id));
  });

  r.get('/api/admin/workspaces/:ws/assets', (req, res) => {
    res.json(listAssets(ctx.db, workspaceOf(ctx, req).id));
  });

  r.post('/api/admin/workspaces/:ws/assets', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = body(req);
    if (!(ASSET_KINDS as readonly unknown[]).includes(b.kind))
      throw new AdminError(400, 'ERR_BAD_REQUEST', `kind must be one of ${ASSET_KINDS.join(', ')}`);
    if (typeof b.name !== 'string' || !b.name.trim())
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'name is required');
    if (typeof b.owner !== 'string')
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'owner (a member email) is required');
    const owner = findMemberByEmail(ctx.db, ws.id, b.owner);
    if (!owner) throw new AdminError(404, 'ERR_NO_MEMBER', `no member ${b.owner} in ${ws.slug}`);
    const folder = typeof b.folder === 'string' ? b.folder : null;
    const now = ctx.clock.now();
    const id = createAsset(
      ctx.db,
      ws.id,
      {
        kind: b.kind as AssetKind,
        name: b.name.trim(),
        folder,
        ownerUserId: owner.userId,
        ownerEmail: owner.email,
      },
      now,
    );
    audit(ctx.db, ws.id, 'admin', 'asset.created', owner.email, { id, kind: b.kind, name: b.name }, now);
    res.status(201).json(listAssets(ctx.db, ws.id).find((a) => a.id === id));
  });

  r.get('/api/admin/workspaces/:ws/mail', (req, res) => {
    res.json(listOutbox(ctx.db, workspaceOf(ctx, req).id));
  });

  r.get('/api/admin/mail', (_req, res) => {
    res.json({ smtp: ctx.config.smtp ?? null, messages: listOutbox(ctx.db) });
  });

  r.get('/api/admin/workspaces/:ws/sessions', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json(
      liveSessions(ctx.db, ws.id, ctx.clock.now()).map((s) => ({
        email: s.email,
        authMethod: s.authMethod,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
      })),
    );
  });

  r.get('/api/admin/workspaces/:ws/audit', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json(listAudit(ctx.db, ws.id));
  });

  r.get('/api/admin/clock', (_req, res) => {
    res.json({ now: ctx.clock.now().toISOString() });
  });

  r.post('/api/admin/clock', (req, res) => {
    const b = body(req);
    const freeze = b.freezeAt;
    const advance = b.advanceMs;
    if (freeze === undefined && advance === undefined)
      throw new AdminError(
        400,
        'ERR_BAD_REQUEST',
        'give freezeAt (an ISO instant) and/or advanceMs (milliseconds)',
      );
    if (freeze !== undefined && (typeof freeze !== 'string' || Number.isNaN(Date.parse(freeze))))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'freezeAt must be an ISO 8601 instant');
    if (advance !== undefined && (typeof advance !== 'number' || !Number.isFinite(advance)))
      throw new AdminError(400, 'ERR_BAD_REQUEST', 'advanceMs must be a finite number of milliseconds');
    if (typeof freeze === 'string') ctx.clock.freeze(new Date(freeze));
    if (typeof advance === 'number') ctx.clock.advance(advance);
    res.json({ now: ctx.clock.now().toISOString() });
  });

  r.use('/api/admin', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof AdminError)
      return void res.status(err.status).json({ error: { code: err.code, message: err.message } });
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      return void res
        .status(status)
        .json({ error: { code: 'ERR_BAD_REQUEST', message: (err as Error).message } });
    }
    next(err);
  });
  return r;
}
