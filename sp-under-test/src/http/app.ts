import express, { type NextFunction, type Request, type Response } from 'express';
import type { SpContext } from './context.js';
import { adminRoutes } from './routes/admin/index.js';
import { pageRoutes } from './routes/pages.js';
import { samlRoutes } from './routes/saml.js';
import { sloRoutes } from './routes/slo.js';
import { scimRoutes } from '../scim/router.js';
import { SCIM_DEFAULTS } from '../scim/defaults.js';
import { groupCommitOf } from '../db/group-commit.js';

export function createApp(ctx: SpContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const commits = groupCommitOf(ctx.db);
  const scimBase = `${SCIM_DEFAULTS.basePath}/`;
  app.use((req, res, next) => {
    res.set('Cache-Control', 'no-store');
    // SCIM writes share commits (db/group-commit.ts); every other request first sees them on disk.
    if (req.method === 'GET' || req.method === 'HEAD' || !req.url.startsWith(scimBase)) commits.flush();
    next();
  });
  app.use(scimRoutes(ctx));
  app.use(adminRoutes(ctx));
  app.use(samlRoutes(ctx));
  app.use(sloRoutes(ctx));
  app.use(pageRoutes(ctx));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      return void res
        .status(status)
        .type('text')
        .send((err as Error).message);
    }
    console.error('sp-under-test: unexpected error', err);
    res.status(500).type('text').send('internal error');
  });
  return app;
}
