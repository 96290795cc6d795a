import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseIdpMetadata } from '../../metadata.js';
import { SYSTEM_ROLES } from '../../roles.js';
import { SamlRejected } from '../../saml/errors.js';
import { audit, listAudit } from '../../store/audit.js';
import { listMembers } from '../../store/members.js';
import { liveSessions } from '../../store/sessions.js';
import {
  addCustomRole,
  createWorkspace,
  customRoleNames,
  findWorkspace,
  getSamlSettings,
  listWorkspaces,
  putSamlSettings,
  type Workspace,
} from '../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../context.js';

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

/** The observer and admin API that the harness and other tools read the SP's state through. */
export function adminRoutes(ctx: SpContext): Router {
  const r = express.Router();
  r.use('/api/admin', requireAdmin(ctx), express.json({ limit: '1mb' }));

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
    const ws = createWorkspace(ctx.db, slug, name, environments, now);
    audit(ctx.db, ws.id, 'admin', 'workspace.created', slug, { environments }, now);
    res.status(201).json({
      slug: ws.slug,
      name: ws.name,
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

  r.put('/api/admin/workspaces/:ws/saml', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = body(req);
    let idp: { entityId: string; ssoUrl: string; sloUrl: string | null; certificates: string[] };
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
          'give metadataXml, or entityId, ssoUrl and certificates',
        );
      }
      const certificates = stringList(b.certificates, 'certificates');
      if (certificates.length === 0)
        throw new AdminError(400, 'ERR_BAD_REQUEST', 'at least one certificate is required');
      idp = {
        entityId: b.entityId,
        ssoUrl: b.ssoUrl,
        sloUrl: typeof b.sloUrl === 'string' ? b.sloUrl : null,
        certificates: certificates.map((c) =>
          c.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''),
        ),
      };
    }
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
    const settings = {
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
    audit(ctx.db, ws.id, 'admin', 'saml.configured', idp.entityId, { jit: settings.jit }, now);
    res.json({ ...settings, sp: { entityId: spEntityId(ctx, ws.slug), acsUrl: acsUrl(ctx, ws.slug) } });
  });

  r.get('/api/admin/workspaces/:ws/roles', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json({ system: SYSTEM_ROLES, custom: customRoleNames(ctx.db, ws.id) });
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
    const permissions = b.permissions && typeof b.permissions === 'object' ? b.permissions : {};
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
        authMethod: m.authMethod,
        source: m.source,
        createdAt: m.createdAt,
      })),
    );
  });

  r.get('/api/admin/workspaces/:ws/sessions', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json(
      liveSessions(ctx.db, ws.id, ctx.clock.now()).map((s) => ({
        email: s.email,
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
    if (typeof b.freezeAt === 'string' && !Number.isNaN(Date.parse(b.freezeAt)))
      ctx.clock.freeze(new Date(b.freezeAt));
    if (typeof b.advanceMs === 'number' && Number.isFinite(b.advanceMs)) ctx.clock.advance(b.advanceMs);
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
