import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createScimToken, listScimTokens, revokeScimToken } from '../../scim/tokens.js';
import { SCIM_DEFAULTS } from '../../scim/defaults.js';
import { audit } from '../../store/audit.js';
import { findWorkspace } from '../../store/workspaces.js';
import type { SpContext } from '../context.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Admin API for SCIM tokens: `POST /api/admin/workspaces/:ws/scim-tokens` → 201 `{id, token,
 * baseUrl}` (the token is shown this once), `GET …/scim-tokens` lists them without secrets,
 * `DELETE …/scim-tokens/:id` revokes one — "disable SCIM" (seeds 002–004).
 */
export function scimTokenRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const expected = digest(ctx.config.adminToken);
  const fail = (res: Response, status: number, code: string, message: string) =>
    void res.status(status).json({ error: { code, message } });

  r.use('/api/admin/workspaces/:ws/scim-tokens', (req: Request, res: Response, next: NextFunction) => {
    const h = req.headers.authorization ?? '';
    const given = h.startsWith('Bearer ') ? h.slice(7) : '';
    if (!given || !timingSafeEqual(digest(given), expected))
      return fail(res, 401, 'ERR_ADMIN_TOKEN', 'a valid admin bearer token is required');
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return fail(res, 404, 'ERR_NO_WORKSPACE', `no workspace ${String(req.params.ws)}`);
    res.locals.workspace = ws;
    next();
  });

  r.post('/api/admin/workspaces/:ws/scim-tokens', (_req, res) => {
    const ws = res.locals.workspace as { id: number; slug: string };
    const now = ctx.clock.now();
    const created = createScimToken(ctx.db, ws.id, now);
    audit(ctx.db, ws.id, 'admin', 'scim.token_created', created.id, {}, now);
    res.status(201).json({ ...created, baseUrl: `${ctx.baseUrl()}${SCIM_DEFAULTS.basePath}` });
  });

  r.get('/api/admin/workspaces/:ws/scim-tokens', (_req, res) => {
    res.json(listScimTokens(ctx.db, (res.locals.workspace as { id: number }).id));
  });

  r.delete('/api/admin/workspaces/:ws/scim-tokens/:id', (req, res) => {
    const ws = res.locals.workspace as { id: number };
    const now = ctx.clock.now();
    if (!revokeScimToken(ctx.db, ws.id, String(req.params.id), now))
      return fail(res, 404, 'ERR_NO_SCIM_TOKEN', `no live SCIM token ${String(req.params.id)}`);
    audit(ctx.db, ws.id, 'admin', 'scim.token_revoked', String(req.params.id), {}, now);
    res.status(204).end();
  });
  return r;
}
