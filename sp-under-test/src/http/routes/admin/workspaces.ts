import express, { type Router } from 'express';
import { SYSTEM_ROLES } from '../../../roles.js';
import { audit } from '../../../store/audit.js';
import { environmentMethods } from '../../../store/environment-auth.js';
import {
  ensureOrganisation,
  listOrganisations,
  organisationOfWorkspace,
  setWorkspaceOrganisation,
} from '../../../store/organisations.js';
import {
  addCustomRole,
  createWorkspace,
  customRoleNames,
  customRoles,
  defaultRoles,
  findWorkspace,
  getSamlSettings,
  listWorkspaces,
  putDefaultRoles,
} from '../../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../../context.js';
import { AdminError } from './errors.js';
import { SLUG_PATTERN, bodyReader, workspaceOf } from './validate.js';

const ACCESS = { enum: ['none', 'view', 'edit'] };

const readWorkspace = bodyReader<{
  slug: string;
  name?: string;
  organisation?: string;
  environments?: string[];
}>({
  type: 'object',
  required: ['slug'],
  properties: {
    slug: { type: 'string', pattern: SLUG_PATTERN },
    name: { type: 'string' },
    organisation: { type: 'string', pattern: SLUG_PATTERN },
    environments: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,15}$' },
    },
  },
});

/** Seed 000: custom roles with access to chosen folders, and to connections and recipes. */
const readRole = bodyReader<{
  name: string;
  permissions?: { folders?: string[]; connections?: string; recipes?: string };
}>({
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', not: { enum: [...SYSTEM_ROLES] } },
    permissions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        folders: { type: 'array', items: { type: 'string' } },
        connections: ACCESS,
        recipes: ACCESS,
      },
    },
  },
});

/** Seed 001: each environment's default role for new members. */
const readDefaultRoles = bodyReader<{ roles: Record<string, string> }>({
  type: 'object',
  required: ['roles'],
  additionalProperties: false,
  properties: { roles: { type: 'object', additionalProperties: { type: 'string' } } },
});

/** Organisations, workspaces and their roles. */
export function workspaceRoutes(ctx: SpContext): Router {
  const r = express.Router();

  r.get('/organisations', (_req, res) => {
    res.json(
      listOrganisations(ctx.db).map((o) => ({ slug: o.slug, name: o.name, workspaces: o.workspaces })),
    );
  });

  r.get('/workspaces', (_req, res) => {
    res.json(
      listWorkspaces(ctx.db).map((w) => ({ slug: w.slug, name: w.name, environments: w.environments })),
    );
  });

  r.post('/workspaces', (req, res) => {
    const b = readWorkspace(req);
    const environments = b.environments ?? ctx.config.defaultEnvironments;
    if (findWorkspace(ctx.db, b.slug))
      throw new AdminError('ERR_WORKSPACE_EXISTS', `workspace ${b.slug} exists`);
    const name = b.name || b.slug;
    const orgSlug = b.organisation ?? 'default';
    const now = ctx.clock.now();
    const ws = ctx.db.transaction(() => {
      const created = createWorkspace(ctx.db, b.slug, name, environments, now);
      setWorkspaceOrganisation(ctx.db, created.id, ensureOrganisation(ctx.db, orgSlug, orgSlug, now).id);
      return created;
    })();
    audit(ctx.db, ws.id, 'admin', 'workspace.created', b.slug, { environments, organisation: orgSlug }, now);
    res.status(201).json({
      slug: ws.slug,
      name: ws.name,
      organisation: orgSlug,
      environments: ws.environments,
      saml: {
        entityId: spEntityId(ctx, ws.slug),
        acsUrl: acsUrl(ctx, ws.slug),
        metadataUrl: spEntityId(ctx, ws.slug),
      },
    });
  });

  r.get('/workspaces/:ws', (req, res) => {
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
      defaultRoles: defaultRoles(ctx.db, ws),
      saml: { configured: !!settings, entityId: spEntityId(ctx, ws.slug), acsUrl: acsUrl(ctx, ws.slug) },
    });
  });

  // Seed 001 "Permissions: Based on the environment's default end-user permissions".
  r.put('/workspaces/:ws/default-roles', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const { roles } = readDefaultRoles(req);
    const known = new Set<string>([...SYSTEM_ROLES, ...customRoleNames(ctx.db, ws.id)]);
    for (const [env, role] of Object.entries(roles)) {
      if (!ws.environments.includes(env))
        throw new AdminError(
          'ERR_BAD_REQUEST',
          `environment ${env} is not among ${ws.environments.join(', ')}`,
        );
      if (!known.has(role))
        throw new AdminError(
          'ERR_BAD_REQUEST',
          `${ws.slug} has no role ${role} (role names are case-sensitive)`,
        );
    }
    putDefaultRoles(ctx.db, ws, roles);
    audit(ctx.db, ws.id, 'admin', 'default-roles.configured', ws.slug, { roles }, ctx.clock.now());
    res.json({ defaultRoles: defaultRoles(ctx.db, ws) });
  });

  r.get('/workspaces/:ws/roles', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json({
      system: SYSTEM_ROLES,
      custom: customRoleNames(ctx.db, ws.id),
      customRoles: customRoles(ctx.db, ws.id),
    });
  });

  r.post('/workspaces/:ws/roles', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = readRole(req);
    const p = b.permissions ?? {};
    const permissions = {
      folders: p.folders ?? [],
      connections: p.connections ?? 'none',
      recipes: p.recipes ?? 'none',
    };
    addCustomRole(ctx.db, ws.id, b.name, permissions);
    audit(ctx.db, ws.id, 'admin', 'role.created', b.name, {}, ctx.clock.now());
    res.status(201).json({ name: b.name, permissions });
  });

  return r;
}
