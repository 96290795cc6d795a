import express, { type Router } from 'express';
import { ASSET_KINDS, createAsset, listAssets, type AssetKind } from '../../../store/assets.js';
import { audit } from '../../../store/audit.js';
import { findMemberByEmail } from '../../../store/members.js';
import type { SpContext } from '../../context.js';
import { AdminError } from './errors.js';
import { bodyReader, workspaceOf } from './validate.js';

const readAsset = bodyReader<{ kind: AssetKind; name: string; owner: string; folder?: string }>({
  type: 'object',
  required: ['kind', 'name', 'owner'],
  properties: {
    kind: { enum: [...ASSET_KINDS] },
    name: { type: 'string', pattern: '\\S' },
    owner: { type: 'string' },
    folder: { type: 'string' },
  },
});

/** Recipes and connections, owned by a member's email: they stay with the team when the owner leaves (seed 000). */
export function assetRoutes(ctx: SpContext): Router {
  const r = express.Router();

  r.get('/workspaces/:ws/assets', (req, res) => {
    res.json(listAssets(ctx.db, workspaceOf(ctx, req).id));
  });

  r.post('/workspaces/:ws/assets', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = readAsset(req);
    const owner = findMemberByEmail(ctx.db, ws.id, b.owner);
    if (!owner) throw new AdminError('ERR_NO_MEMBER', `no member ${b.owner} in ${ws.slug}`);
    const now = ctx.clock.now();
    const id = createAsset(
      ctx.db,
      ws.id,
      {
        kind: b.kind,
        name: b.name.trim(),
        folder: b.folder ?? null,
        ownerUserId: owner.userId,
        ownerEmail: owner.email,
      },
      now,
    );
    audit(ctx.db, ws.id, 'admin', 'asset.created', owner.email, { id, kind: b.kind, name: b.name }, now);
    res.status(201).json(listAssets(ctx.db, ws.id).find((a) => a.id === id));
  });

  return r;
}
