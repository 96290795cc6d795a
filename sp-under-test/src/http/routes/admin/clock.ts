import express, { type Router } from 'express';
import type { SpContext } from '../../context.js';
import { AdminError } from './errors.js';
import { bodyReader } from './validate.js';

const readClock = bodyReader<{ freezeAt?: string; advanceMs?: number }>({
  type: 'object',
  anyOf: [{ required: ['freezeAt'] }, { required: ['advanceMs'] }],
  properties: { freezeAt: { type: 'string' }, advanceMs: { type: 'number' } },
});

/** The SP's clock, which tests and the harness freeze or move (`freezeAt` an ISO instant, `advanceMs`). */
export function clockRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const now = () => ({ now: ctx.clock.now().toISOString() });

  r.get('/clock', (_req, res) => {
    res.json(now());
  });

  r.post('/clock', (req, res) => {
    const b = readClock(req);
    if (b.freezeAt !== undefined && Number.isNaN(Date.parse(b.freezeAt)))
      throw new AdminError('ERR_BAD_REQUEST', 'freezeAt must be an ISO 8601 instant');
    if (b.freezeAt !== undefined) ctx.clock.freeze(new Date(b.freezeAt));
    if (b.advanceMs !== undefined) ctx.clock.advance(b.advanceMs);
    res.json(now());
  });

  return r;
}
