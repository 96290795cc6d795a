import express, { type Router } from 'express';
import { listAudit } from '../../../store/audit.js';
import { listOutbox } from '../../../store/mail-outbox.js';
import type { SpContext } from '../../context.js';
import { workspaceOf } from './validate.js';

/** What the SP did, for observers: the audit log and the mail outbox (recipient, subject, status). */
export function observerRoutes(ctx: SpContext): Router {
  const r = express.Router();

  r.get('/workspaces/:ws/audit', (req, res) => {
    res.json(listAudit(ctx.db, workspaceOf(ctx, req).id));
  });

  r.get('/workspaces/:ws/mail', (req, res) => {
    res.json(listOutbox(ctx.db, workspaceOf(ctx, req).id));
  });

  r.get('/mail', (_req, res) => {
    res.json({ smtp: ctx.config.smtp ?? null, messages: listOutbox(ctx.db) });
  });

  return r;
}
