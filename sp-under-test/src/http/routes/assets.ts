import express, { type Request, type Response, type Router } from 'express';
import {
  PERMISSION_ERROR_CODES,
  assetRefusal,
  folderOf,
  mayOpenFolder,
  rightsOf,
  type PermissionErrorCode,
  type Rights,
} from '../../permissions.js';
import { listAssets, type Asset, type AssetKind } from '../../store/assets.js';
import { audit } from '../../store/audit.js';
import { findWorkspace, type Workspace } from '../../store/workspaces.js';
import type { SpContext } from '../context.js';
import { errorPage, esc, page } from '../html.js';
import { enterEnvironment } from './environment-gate.js';

const KINDS: Record<string, AssetKind> = { recipes: 'recipe', connections: 'connection' };

const refuse = (res: Response, code: PermissionErrorCode, what: string) =>
  res
    .status(403)
    .type('html')
    .send(errorPage('Not allowed', code, `${PERMISSION_ERROR_CODES[code]}: ${what}.`));

const assetLink = (ws: Workspace, env: string, a: Asset) =>
  `/w/${encodeURIComponent(ws.slug)}/env/${encodeURIComponent(env)}/${a.kind}s/${encodeURIComponent(a.name)}`;

/** The folders and assets of the workspace that `rights` may see, for an environment's pages. */
export function visibleAssets(ctx: SpContext, ws: Workspace, rights: Rights): Asset[] {
  return listAssets(ctx.db, ws.id).filter(
    (a) =>
      mayOpenFolder(rights, a.folder) &&
      (a.kind === 'recipe' ? rights.recipes : rights.connections) !== 'none',
  );
}

export function assetList(ws: Workspace, env: string, assets: Asset[]): string {
  if (!assets.length) return '<p class="muted">Nothing here that your role may open.</p>';
  return `<ul data-testid="assets">${assets
    .map(
      (a) =>
        `<li data-asset="${esc(a.name)}">${esc(a.kind)} <a href="${esc(assetLink(ws, env, a))}">${esc(a.name)}</a> in ${esc(folderOf(a.folder))}</li>`,
    )
    .join('')}</ul>`;
}

/**
 * Folders, recipes and connections inside an environment, each action checked against the
 * member's role there at the moment of the request (seed 000: custom roles "with specific
 * access to folders, or permissions to edit connections and recipes").
 */
export function assetRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  /** The workspace, the member inside the environment and their rights there; answers and returns undefined otherwise. */
  const enter = (req: Request, res: Response) => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const env = String(req.params.env);
    const inside = enterEnvironment(ctx, req, res, ws, env);
    if (!inside) return undefined;
    return { ws, env, member: inside.member, rights: rightsOf(ctx.db, ws.id, inside.member.roles[env]) };
  };

  const findAsset = (req: Request, res: Response, ws: Workspace): Asset | undefined => {
    const kind = KINDS[String(req.params.kind)];
    const name = String(req.params.name);
    const asset = kind && listAssets(ctx.db, ws.id).find((a) => a.kind === kind && a.name === name);
    if (!asset) {
      res
        .status(404)
        .type('html')
        .send(
          errorPage(
            'Not found',
            'ERR_NO_SUCH_ASSET',
            `${ws.name} has no ${String(req.params.kind)} "${name}".`,
          ),
        );
    }
    return asset || undefined;
  };

  r.get('/w/:ws/env/:env/folders/:folder', (req, res) => {
    const at = enter(req, res);
    if (!at) return;
    const folder = String(req.params.folder);
    if (!mayOpenFolder(at.rights, folder)) return void refuse(res, 'ERR_FOLDER_NOT_ALLOWED', folder);
    const inFolder = visibleAssets(ctx, at.ws, at.rights).filter((a) => folderOf(a.folder) === folder);
    res.type('html').send(
      page(
        `${folder} — ${at.ws.name} ${at.env}`,
        `<h1>${esc(at.ws.name)} · ${esc(at.env)} · ${esc(folder)}</h1>
         <p data-testid="signed-in-as" data-signed-in-email="${esc(at.member.email)}">Signed in as <strong>${esc(at.member.email)}</strong></p>
         <p data-testid="folder">Folder ${esc(folder)}</p>${assetList(at.ws, at.env, inFolder)}`,
      ),
    );
  });

  r.get('/w/:ws/env/:env/:kind/:name', (req, res, next) => {
    if (!KINDS[String(req.params.kind)]) return next();
    const at = enter(req, res);
    if (!at) return;
    const asset = findAsset(req, res, at.ws);
    if (!asset) return;
    const refusal = assetRefusal(at.rights, asset.kind, asset.folder, 'view');
    if (refusal) return void refuse(res, refusal, `${asset.kind} ${asset.name}`);
    const editable = assetRefusal(at.rights, asset.kind, asset.folder, 'edit') === null;
    res.type('html').send(
      page(
        `${asset.name} — ${at.ws.name} ${at.env}`,
        `<h1>${esc(asset.name)}</h1>
         <p data-testid="signed-in-as" data-signed-in-email="${esc(at.member.email)}">Signed in as <strong>${esc(at.member.email)}</strong></p>
         <p data-testid="asset">A ${esc(asset.kind)} in ${esc(folderOf(asset.folder))}, owned by ${esc(asset.ownerEmail)}.</p>
         ${editable ? `<p><a href="${esc(assetLink(at.ws, at.env, asset))}/edit">Edit</a></p>` : '<p class="muted">Read only for your role.</p>'}`,
      ),
    );
  });

  r.get('/w/:ws/env/:env/:kind/:name/edit', (req, res, next) => {
    if (!KINDS[String(req.params.kind)]) return next();
    const at = enter(req, res);
    if (!at) return;
    const asset = findAsset(req, res, at.ws);
    if (!asset) return;
    const refusal = assetRefusal(at.rights, asset.kind, asset.folder, 'edit');
    if (refusal) return void refuse(res, refusal, `${asset.kind} ${asset.name}`);
    res.type('html').send(
      page(
        `Edit ${asset.name}`,
        `<h1>Edit ${esc(asset.name)}</h1>
         <p data-testid="signed-in-as" data-signed-in-email="${esc(at.member.email)}">Signed in as <strong>${esc(at.member.email)}</strong></p>
         <form method="post" data-testid="editor"><label>Change note <input name="note" required></label>
         <button type="submit">Save</button></form>`,
      ),
    );
  });

  r.post('/w/:ws/env/:env/:kind/:name/edit', form, (req, res, next) => {
    if (!KINDS[String(req.params.kind)]) return next();
    const at = enter(req, res);
    if (!at) return;
    const asset = findAsset(req, res, at.ws);
    if (!asset) return;
    const refusal = assetRefusal(at.rights, asset.kind, asset.folder, 'edit');
    if (refusal) return void refuse(res, refusal, `${asset.kind} ${asset.name}`);
    const note = typeof req.body?.note === 'string' ? req.body.note.slice(0, 500) : '';
    audit(
      ctx.db,
      at.ws.id,
      'saml',
      'asset.edited',
      at.member.email,
      { kind: asset.kind, name: asset.name, environment: at.env, note },
      ctx.clock.now(),
    );
    res.redirect(303, assetLink(at.ws, at.env, asset));
  });
  return r;
}
