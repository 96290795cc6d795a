import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { groupCommitOf } from '../db/group-commit.js';
import { bearerToken } from '../http/bearer.js';
import type { SpContext } from '../http/context.js';
import { inviteMember } from '../invitations.js';
import type { Workspace } from '../store/workspaces.js';
import { SCIM_DEFAULTS } from './defaults.js';
import { resourceTypeDocs, schemaDocs, serviceProviderConfig } from './discovery.js';
import { SCIM_ERROR_SCHEMA, ScimError } from './errors.js';
import { parseQueryFilter } from './filter.js';
import { GroupStore, type GroupRow } from './groups.js';
import { applyPatch, readPatchBody } from './patch.js';
import { attributeList, project } from './projection.js';
import { GROUP_KIND, URN, USER_KIND, type ResourceKind } from './schemas.js';
import { workspaceForToken } from './tokens.js';
import { UserStore, etagOf, type UserRow } from './users.js';
import { canonicalResource, isObject, type JsonObject } from './values.js';

/**
 * The SCIM 2.0 service provider (RFC 7643/7644) at /scim/v2. The bearer token selects the
 * workspace. Every write runs in one SQLite transaction, so a request that fails changes
 * nothing; every 4xx carries the SCIM Error schema with a `scimType`.
 */
export function scimRoutes(ctx: SpContext): Router {
  const users = new UserStore(ctx.db);
  const groups = new GroupStore(ctx.db);
  const base = SCIM_DEFAULTS.basePath;
  const baseUrl = () => `${ctx.baseUrl()}${base}`;
  const api = express.Router({ caseSensitive: false });

  const wsOf = (res: Response) => res.locals.workspace as Workspace;
  // Each write is one savepoint of a group commit: answered once it is on disk.
  const commits = groupCommitOf(ctx.db);
  const tx = <T>(work: () => T): Promise<T> => commits.write(work);

  api.use((req, res, next) => {
    res.type('application/scim+json');
    const token = bearerToken(req);
    const ws: Workspace | undefined = token ? workspaceForToken(ctx.db, token) : undefined;
    if (!ws) throw new ScimError('ERR_SCIM_UNAUTHORIZED');
    res.locals.workspace = ws;
    next();
  });

  const json = express.json({
    type: ['application/json', 'application/scim+json'],
    limit: SCIM_DEFAULTS.maxBodyBytes,
  });
  api.use((req, res, next) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > SCIM_DEFAULTS.maxBodyBytes) throw new ScimError('ERR_SCIM_TOO_LARGE', `${declared} bytes`);
    const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is(['application/json', 'application/scim+json']))
      throw new ScimError('ERR_SCIM_CONTENT_TYPE', String(req.headers['content-type'] ?? 'none'));
    json(req, res, next);
  });

  const bodyObject = (req: Request): JsonObject => {
    if (!isObject(req.body)) throw new ScimError('ERR_SCIM_SYNTAX', 'the body must be a JSON object');
    return req.body;
  };

  const checkIfMatch = (req: Request, version: number) => {
    const h = req.headers['if-match'];
    if (!h) return;
    const tags = h.split(',').map((t) => t.trim());
    if (tags.includes('*') || tags.includes(etagOf(version)) || tags.includes(`"${version}"`)) return;
    throw new ScimError('ERR_SCIM_PRECONDITION', `current version is ${etagOf(version)}`);
  };

  const meta = (kind: ResourceKind, id: string, created: string, lastModified: string, version: number) => ({
    resourceType: kind.name,
    created,
    lastModified,
    location: `${baseUrl()}${kind.endpoint}/${id}`,
    version: etagOf(version),
  });

  const renderUser = (ws: Workspace, row: UserRow): JsonObject => {
    const c = users.canonical(ws, row);
    const schemas = [URN.user, ...[URN.enterprise, URN.workatoRole].filter((u) => c[u] !== undefined)];
    const out: JsonObject = { schemas, id: row.scim_id, ...c };
    const g = users.groupsOf(row.member_id);
    if (g.length)
      out.groups = g.map((x) => ({ ...x, $ref: `${baseUrl()}/Groups/${x.value}`, type: 'direct' }));
    out.meta = meta(USER_KIND, row.scim_id, row.created_at, row.last_modified, row.version);
    return out;
  };

  const renderGroup = (row: GroupRow, withMembers = true): JsonObject => {
    const c = withMembers ? groups.canonical(row) : { displayName: row.display_name };
    if (Array.isArray(c.members))
      c.members = c.members.map((m) =>
        isObject(m) ? { ...m, $ref: `${baseUrl()}/Users/${String(m.value)}`, type: 'User' } : m,
      );
    if (!withMembers && row.external_id !== null) c.externalId = row.external_id;
    return {
      schemas: [URN.group],
      id: row.scim_id,
      ...c,
      meta: meta(GROUP_KIND, row.scim_id, row.created_at, row.last_modified, row.version),
    };
  };

  const projection = (kind: ResourceKind, q: Record<string, unknown>) => {
    const attributes = attributeList(q.attributes);
    const excluded = attributeList(q.excludedAttributes);
    return (r: JsonObject) => project(kind, r, attributes, excluded);
  };

  const sendResource = (req: Request, res: Response, kind: ResourceKind, r: JsonObject, status = 200) => {
    const version = (r.meta as { version: string }).version;
    res.set('ETag', version);
    if (status === 201) res.location(String((r.meta as { location: string }).location));
    res.status(status).json(projection(kind, req.query)(r));
  };

  const pageParams = (q: Record<string, unknown>) => {
    const si = Number.parseInt(String(q.startIndex ?? '1'), 10);
    const c = q.count === undefined ? SCIM_DEFAULTS.defaultCount : Number.parseInt(String(q.count), 10);
    return {
      startIndex: Number.isFinite(si) && si >= 1 ? si : 1,
      count: Number.isFinite(c)
        ? Math.min(Math.max(c, 0), SCIM_DEFAULTS.maxResults)
        : SCIM_DEFAULTS.defaultCount,
    };
  };

  const list = (req: Request, res: Response, kind: ResourceKind, q: Record<string, unknown>) => {
    const ws = wsOf(res);
    if (q.filter !== undefined && typeof q.filter !== 'string')
      throw new ScimError('ERR_SCIM_INVALID_FILTER', 'give filter once');
    const filter = typeof q.filter === 'string' && q.filter.trim() ? parseQueryFilter(q.filter) : undefined;
    const { startIndex, count } = pageParams(q);
    const excludesMembers = (attributeList(q.excludedAttributes) ?? []).some(
      (a) => a.toLowerCase() === 'members',
    );
    const found =
      kind === USER_KIND
        ? users.query(ws, filter, startIndex, count, (r) => renderUser(ws, r))
        : groups.query(ws, filter, startIndex, count, (r) => renderGroup(r, !excludesMembers || !!filter));
    const shape = projection(kind, q);
    res.json({
      schemas: [URN.listResponse],
      totalResults: found.total,
      startIndex,
      itemsPerPage: found.rows.length,
      Resources: found.rows.map(shape),
    });
  };

  // Users
  api.get('/Users', (req, res) => list(req, res, USER_KIND, req.query));
  api.post('/Users/.search', (req, res) => list(req, res, USER_KIND, bodyObject(req)));
  api.post('/Users', async (req, res) => {
    const ws = wsOf(res);
    const input = canonicalResource(USER_KIND, bodyObject(req));
    const now = ctx.clock.now();
    // The invitation is recorded in the outbox inside the same transaction as the member;
    // SMTP delivery then runs without holding the response.
    const user = await tx(() => {
      const created = users.create(ws, input, now);
      if (created.invite) {
        inviteMember(
          {
            db: ctx.db,
            mailer: ctx.mailer,
            baseUrl: ctx.baseUrl(),
            lifetimeMs: ctx.config.invitationLifetimeMs,
          },
          ws,
          // Only a member created by this request is invited (UserStore.create).
          {
            memberId: created.row.member_id,
            email: created.row.email,
            name: created.row.name,
            newMember: true,
          },
          created.existingAccount,
          now,
        );
      }
      return renderUser(ws, created.row);
    });
    sendResource(req, res, USER_KIND, user, 201);
  });
  api.get('/Users/:id', (req, res) => {
    const ws = wsOf(res);
    const row = users.find(ws, String(req.params.id));
    const inm = req.headers['if-none-match'];
    if (
      inm &&
      inm
        .split(',')
        .map((t) => t.trim())
        .includes(etagOf(row.version))
    )
      return void res.status(304).end();
    sendResource(req, res, USER_KIND, renderUser(ws, row));
  });
  api.put('/Users/:id', async (req, res) => {
    const ws = wsOf(res);
    const input = canonicalResource(USER_KIND, bodyObject(req));
    const user = await tx(() => {
      const current = users.find(ws, String(req.params.id));
      checkIfMatch(req, current.version);
      return renderUser(ws, users.replace(ws, current, input, ctx.clock.now()));
    });
    sendResource(req, res, USER_KIND, user);
  });
  api.patch('/Users/:id', async (req, res) => {
    const ws = wsOf(res);
    const ops = readPatchBody(req.body);
    const user = await tx(() => {
      const current = users.find(ws, String(req.params.id));
      checkIfMatch(req, current.version);
      const next = applyPatch(USER_KIND, users.canonical(ws, current), ops);
      return renderUser(ws, users.replace(ws, current, next, ctx.clock.now()));
    });
    sendResource(req, res, USER_KIND, user);
  });
  api.delete('/Users/:id', async (req, res) => {
    const ws = wsOf(res);
    await tx(() => {
      const current = users.find(ws, String(req.params.id));
      checkIfMatch(req, current.version);
      users.delete(ws, current, ctx.clock.now());
    });
    res.status(204).end();
  });

  // Groups
  api.get('/Groups', (req, res) => list(req, res, GROUP_KIND, req.query));
  api.post('/Groups/.search', (req, res) => list(req, res, GROUP_KIND, bodyObject(req)));
  api.post('/Groups', async (req, res) => {
    const ws = wsOf(res);
    const input = canonicalResource(GROUP_KIND, bodyObject(req));
    const group = await tx(() => renderGroup(groups.create(ws, input, ctx.clock.now())));
    sendResource(req, res, GROUP_KIND, group, 201);
  });
  api.get('/Groups/:id', (req, res) => {
    const row = groups.find(wsOf(res), String(req.params.id));
    const excludesMembers = (attributeList(req.query.excludedAttributes) ?? []).some(
      (a) => a.toLowerCase() === 'members',
    );
    sendResource(req, res, GROUP_KIND, renderGroup(row, !excludesMembers));
  });
  api.put('/Groups/:id', async (req, res) => {
    const ws = wsOf(res);
    const input = canonicalResource(GROUP_KIND, bodyObject(req));
    const group = await tx(() => {
      const current = groups.find(ws, String(req.params.id));
      checkIfMatch(req, current.version);
      return renderGroup(groups.replace(ws, current, input, ctx.clock.now()));
    });
    sendResource(req, res, GROUP_KIND, group);
  });
  api.patch('/Groups/:id', async (req, res) => {
    const ws = wsOf(res);
    const ops = readPatchBody(req.body);
    const group = await tx(() => {
      const current = groups.find(ws, String(req.params.id));
      checkIfMatch(req, current.version);
      const next = applyPatch(GROUP_KIND, groups.canonical(current), ops);
      return renderGroup(groups.replace(ws, current, next, ctx.clock.now()));
    });
    sendResource(req, res, GROUP_KIND, group);
  });
  api.delete('/Groups/:id', async (req, res) => {
    const ws = wsOf(res);
    await tx(() => {
      const current = groups.find(ws, String(req.params.id));
      checkIfMatch(req, current.version);
      groups.delete(ws, current, ctx.clock.now());
    });
    res.status(204).end();
  });

  // Discovery: filters are refused (RFC 7644 §4), paging and sorting ignored.
  const discovery = (req: Request) => {
    if (req.query.filter !== undefined) throw new ScimError('ERR_SCIM_DISCOVERY_FILTER');
  };
  const listOf = (docs: JsonObject[]) => ({
    schemas: [URN.listResponse],
    totalResults: docs.length,
    startIndex: 1,
    itemsPerPage: docs.length,
    Resources: docs,
  });
  api.get('/ServiceProviderConfig', (req, res) => {
    discovery(req);
    res.json(serviceProviderConfig(`${baseUrl()}/ServiceProviderConfig`));
  });
  api.get('/Schemas', (req, res) => {
    discovery(req);
    res.json(listOf(schemaDocs(baseUrl())));
  });
  api.get('/Schemas/:id', (req, res) => {
    const doc = schemaDocs(baseUrl()).find(
      (d) => String(d.id).toLowerCase() === String(req.params.id).toLowerCase(),
    );
    if (!doc) throw new ScimError('ERR_SCIM_NOT_FOUND', `Schema ${String(req.params.id)}`);
    res.json(doc);
  });
  api.get('/ResourceTypes', (req, res) => {
    discovery(req);
    res.json(listOf(resourceTypeDocs(baseUrl())));
  });
  api.get('/ResourceTypes/:id', (req, res) => {
    const doc = resourceTypeDocs(baseUrl()).find(
      (d) => String(d.id).toLowerCase() === String(req.params.id).toLowerCase(),
    );
    if (!doc) throw new ScimError('ERR_SCIM_NOT_FOUND', `ResourceType ${String(req.params.id)}`);
    res.json(doc);
  });

  const known = ['/Users', '/Groups', '/ServiceProviderConfig', '/Schemas', '/ResourceTypes'];
  api.use((req) => {
    const top = '/' + (req.path.split('/')[1] ?? '');
    if (known.some((k) => k.toLowerCase() === top.toLowerCase()))
      throw new ScimError('ERR_SCIM_METHOD', `${req.method} ${req.path}`);
    throw new ScimError('ERR_SCIM_NO_ROUTE', req.path);
  });
  api.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = asScimError(err);
    res.type('application/scim+json');
    if (!e) {
      console.error('sp-under-test: unexpected SCIM error', err);
      return void res
        .status(500)
        .json({ schemas: [SCIM_ERROR_SCHEMA], status: '500', detail: 'internal error' });
    }
    if (e.status === 401) res.set('WWW-Authenticate', 'Bearer realm="scim"');
    if (e.status === 405) res.set('Allow', 'GET, POST, PUT, PATCH, DELETE');
    res.status(e.status).json(e.toJSON());
  });

  const r = express.Router();
  r.use(base, api);
  return r;
}

/** Maps body-parser and SQLite failures onto SCIM errors; undefined for a genuine server fault. */
function asScimError(err: unknown): ScimError | undefined {
  if (err instanceof ScimError) return err;
  const e = err as { type?: string; status?: number; code?: string; message?: string };
  if (e.type === 'entity.too.large') return new ScimError('ERR_SCIM_TOO_LARGE');
  if (e.type === 'entity.parse.failed') return new ScimError('ERR_SCIM_MALFORMED_JSON', e.message);
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
    return new ScimError('ERR_SCIM_CONTENT_TYPE', e.message);
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT_UNIQUE'))
    return new ScimError('ERR_SCIM_UNIQUENESS');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new ScimError('ERR_SCIM_SYNTAX', e.message);
  return undefined;
}
