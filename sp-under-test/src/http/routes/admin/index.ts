import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { requireAdminToken } from '../../bearer.js';
import type { SpContext } from '../../context.js';
import { adminViewRoutes } from '../admin-view.js';
import { assetRoutes } from './assets.js';
import { authenticationRoutes } from './auth.js';
import { clockRoutes } from './clock.js';
import { AdminError } from './errors.js';
import { memberRoutes } from './members.js';
import { observerRoutes } from './observer.js';
import { samlSettingsRoutes } from './saml.js';
import { scimTokenRoutes } from './scim-tokens.js';
import { workspaceRoutes } from './workspaces.js';

/**
 * The observer and admin API under `/api/admin` that the harness and other tools read and set
 * the SP's state through (bearer admin token, JSON), one module per resource, and the HTML
 * admin view.
 */
export function adminRoutes(ctx: SpContext): Router {
  const api = express.Router();
  api.use(requireAdminToken(ctx.config.adminToken), express.json({ limit: '1mb' }));
  for (const resource of [
    workspaceRoutes,
    authenticationRoutes,
    samlSettingsRoutes,
    memberRoutes,
    assetRoutes,
    observerRoutes,
    scimTokenRoutes,
    clockRoutes,
  ])
    api.use(resource(ctx));
  api.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof AdminError) return void res.status(err.status).json(err.toJSON());
    const status = (err as { status?: number }).status;
    // Body-parser refusals (malformed JSON, too large) are the client's.
    if (status && status >= 400 && status < 500)
      return void res.status(status).json(new AdminError('ERR_BAD_REQUEST', (err as Error).message).toJSON());
    next(err);
  });

  const r = express.Router();
  r.use(adminViewRoutes(ctx));
  r.use('/api/admin', api);
  return r;
}
