import express, { type Router } from 'express';
import { SCIM_DEFAULTS } from '../../../scim/defaults.js';
import { createScimToken, listScimTokens, revokeScimToken } from '../../../scim/tokens.js';
import { audit } from '../../../store/audit.js';
import type { SpContext } from '../../context.js';
import { AdminError } from './errors.js';
import { workspaceOf } from './validate.js';

/**
 * SCIM tokens: `POST …/scim-tokens` → 201 `{id, token, baseUrl}` (the token is shown this once),
 * `GET …/scim-tokens` lists them without secrets, `DELETE …/scim-tokens/:id` revokes one —
 * "disable SCIM" (seeds 002–004).
 */
export function scimTokenRoutes(ctx: SpContext): Router {
  const r = express.Router();

  r.post('/workspaces/:ws/scim-tokens', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const now = ctx.clock.now();
    const created = createScimToken(ctx.db, ws.id, now);
    audit(ctx.db, ws.id, 'admin', 'scim.token_created', created.id, {}, now);
    res.status(201).json({ ...created, baseUrl: `${ctx.baseUrl()}${SCIM_DEFAULTS.basePath}` });
  });

  r.get('/workspaces/:ws/scim-tokens', (req, res) => {
    res.json(listScimTokens(ctx.db, workspaceOf(ctx, req).id));
  });

  r.delete('/workspaces/:ws/scim-tokens/:id', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const now = ctx.clock.now();
    if (!revokeScimToken(ctx.db, ws.id, String(req.params.id), now))
      throw new AdminError('ERR_NO_SCIM_TOKEN', `no live SCIM token ${String(req.params.id)}`);
    audit(ctx.db, ws.id, 'admin', 'scim.token_revoked', String(req.params.id), {}, now);
    res.status(204).end();
  });

  return r;
}
