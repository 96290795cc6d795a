import express, { type Router } from 'express';
import { findWorkspace } from '../../store/workspaces.js';
import { endSession } from '../../store/sessions.js';
import type { SpContext } from '../context.js';
import { esc, page } from '../html.js';
import { SESSION_COOKIE, clearSessionCookie, currentMember, readCookie } from '../session.js';

export function pageRoutes(ctx: SpContext): Router {
  const r = express.Router();

  r.get('/', (_req, res) => {
    res
      .type('html')
      .send(
        page('sp-under-test', '<h1>sp-under-test</h1><p>Sign in at <code>/w/&lt;workspace&gt;</code>.</p>'),
      );
  });

  r.post('/w/:ws/logout', (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) endSession(ctx.db, token, ctx.clock.now());
    clearSessionCookie(res);
    res.redirect(303, `/w/${encodeURIComponent(String(req.params.ws))}/signed-out`);
  });

  r.get('/w/:ws/signed-out', (req, res) => {
    res.type('html').send(page('Signed out', `<h1>Signed out</h1><p>You left ${esc(req.params.ws)}.</p>`));
  });

  // Every page inside a workspace re-checks the member on each request.
  r.get(['/w/:ws', '/w/:ws/{*rest}'], (req, res) => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const member = currentMember(ctx, req, ws);
    if (member === 'locked') {
      clearSessionCookie(res);
      return void res
        .status(403)
        .type('html')
        .send(
          page(
            'Access removed',
            `<h1>Access removed</h1><p data-locked-out>Your access to ${esc(ws.name)} has ended.</p>`,
          ),
        );
    }
    if (member === 'none') {
      const relay = req.originalUrl;
      return void res.redirect(
        302,
        `/saml/${encodeURIComponent(ws.slug)}/login?RelayState=${encodeURIComponent(relay)}`,
      );
    }
    const rows = ws.environments
      .map(
        (env) =>
          `<tr><td>${esc(env)}</td><td data-env="${esc(env)}">${esc(member.roles[env] ?? 'no access')}</td></tr>`,
      )
      .join('');
    const rest = req.params.rest;
    const where = Array.isArray(rest) ? rest.join('/') : rest ? String(rest) : '';
    res.type('html').send(
      page(
        `${ws.name} — sp-under-test`,
        `<h1>${esc(ws.name)}</h1>
         <p data-testid="signed-in-as">Signed in as <strong>${esc(member.email)}</strong> (${esc(member.name)})</p>
         ${where ? `<p data-testid="location">You are at <code>/${esc(where)}</code></p>` : ''}
         <table><thead><tr><th>Environment</th><th>Role</th></tr></thead><tbody>${rows}</tbody></table>
         <form method="post" action="/w/${esc(ws.slug)}/logout"><button type="submit">Sign out</button></form>`,
      ),
    );
  });
  return r;
}
