import express, { type Request, type Response, type Router } from 'express';
import { listAudit } from '../../store/audit.js';
import { environmentMethods } from '../../store/environment-auth.js';
import { groupsOfMember } from '../../store/groups.js';
import { listOutbox } from '../../store/mail-outbox.js';
import { listMembers } from '../../store/members.js';
import { organisationOfWorkspace } from '../../store/organisations.js';
import { liveSessions } from '../../store/sessions.js';
import { findWorkspace, getSamlSettings, listWorkspaces } from '../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../context.js';
import { sameSecret } from '../bearer.js';
import { esc, page } from '../html.js';
import { readCookie } from '../session.js';

const ADMIN_COOKIE = 'sp_admin';

/**
 * A small read-only HTML view of the SP's state for demos: workspaces, members with their
 * roles per environment, the audit log and the SAML settings. The admin token is typed into
 * a form (or given once as `?token=`) and kept in an HttpOnly, SameSite=Strict cookie.
 */
export function adminViewRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const valid = (t: string | undefined) => sameSecret(t, ctx.config.adminToken);
  const setCookie = (res: Response, token: string) =>
    res.append(
      'Set-Cookie',
      `${ADMIN_COOKIE}=${encodeURIComponent(token)}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=28800`,
    );
  const loginForm = (res: Response, status: number, note = '') =>
    res
      .status(status)
      .type('html')
      .send(
        page(
          'Admin sign-in',
          `<h1>sp-under-test admin</h1>${note}<form method="post" action="/admin/login">
           <label>Admin token <input type="password" name="token" required></label>
           <button type="submit">Open</button></form>`,
        ),
      );
  /** Whether the request may see the view; answers the login form or strips `?token=` otherwise. */
  const allowed = (req: Request, res: Response): boolean => {
    const q = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (q !== undefined) {
      if (!valid(q)) {
        loginForm(
          res,
          401,
          '<p class="error" data-error-code="ERR_ADMIN_TOKEN">That token is not valid.</p>',
        );
        return false;
      }
      setCookie(res, q);
      res.redirect(303, req.path);
      return false;
    }
    if (valid(readCookie(req, ADMIN_COOKIE))) return true;
    loginForm(res, 401);
    return false;
  };

  r.post('/admin/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    if (!valid(token)) {
      loginForm(res, 401, '<p class="error" data-error-code="ERR_ADMIN_TOKEN">That token is not valid.</p>');
      return;
    }
    setCookie(res, token);
    res.redirect(303, '/admin');
  });

  r.get('/admin', (req, res) => {
    if (!allowed(req, res)) return;
    const rows = listWorkspaces(ctx.db)
      .map(
        (w) =>
          `<tr><td><a href="/admin/w/${esc(w.slug)}">${esc(w.slug)}</a></td><td>${esc(w.name)}</td>
           <td>${esc(organisationOfWorkspace(ctx.db, w.id)?.slug ?? '')}</td><td>${esc(w.environments.join(', '))}</td>
           <td>${listMembers(ctx.db, w.id).length}</td></tr>`,
      )
      .join('');
    const mail = listOutbox(ctx.db)
      .slice(-20)
      .map(
        (m) =>
          `<tr><td>${esc(m.createdAt)}</td><td>${esc(m.to)}</td><td>${esc(m.subject)}</td><td>${esc(m.status)}</td></tr>`,
      )
      .join('');
    res.type('html').send(
      page(
        'Admin',
        `<h1>Workspaces</h1><table><thead><tr><th>Slug</th><th>Name</th><th>Organisation</th><th>Environments</th><th>Members</th></tr></thead><tbody>${rows}</tbody></table>
         <h2>Mail outbox</h2><p class="muted">SMTP: ${esc(ctx.config.smtp ? `${ctx.config.smtp.host}:${ctx.config.smtp.port}` : 'not configured')}</p>
         <table><thead><tr><th>At</th><th>To</th><th>Subject</th><th>Status</th></tr></thead><tbody>${mail}</tbody></table>`,
      ),
    );
  });

  r.get('/admin/w/:ws', (req, res) => {
    if (!allowed(req, res)) return;
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const now = ctx.clock.now();
    const live = new Set(liveSessions(ctx.db, ws.id, now).map((s) => s.email.toLowerCase()));
    const members = listMembers(ctx.db, ws.id)
      .map(
        (m) =>
          `<tr data-member="${esc(m.email)}"><td>${esc(m.email)}</td><td>${esc(m.name)}</td><td>${esc(m.status)}</td>
           ${ws.environments.map((e) => `<td>${esc(m.roles[e] ?? '—')}</td>`).join('')}
           <td>${esc(groupsOfMember(ctx.db, m.memberId).join(', '))}</td><td>${esc(m.authMethod)}</td><td>${esc(m.source)}</td>
           <td>${live.has(m.email.toLowerCase()) ? 'yes' : ''}</td></tr>`,
      )
      .join('');
    const events = listAudit(ctx.db, ws.id)
      .slice(-100)
      .reverse()
      .map(
        (e) =>
          `<tr><td>${esc(e.at)}</td><td>${esc(e.source)}</td><td>${esc(e.action)}</td><td>${esc(e.subject ?? '')}</td>
           <td><code>${esc(JSON.stringify(e.details))}</code></td></tr>`,
      )
      .join('');
    const s = getSamlSettings(ctx.db, ws.id);
    const methods = environmentMethods(ctx.db, ws.id, ws.environments);
    const saml = s
      ? `<table><tbody>
         <tr><th>IdP entity ID</th><td>${esc(s.idpEntityId)}</td></tr>
         <tr><th>IdP SSO URL</th><td>${esc(s.ssoUrl)}</td></tr>
         <tr><th>Certificates</th><td>${s.certificates.length}</td></tr>
         <tr><th>JIT provisioning</th><td>${s.jit ? 'on' : 'off'} (environments: ${esc((s.jitEnvironments ?? ws.environments).join(', '))})</td></tr>
         <tr><th>Group syncing</th><td>${s.groupSync ? 'on' : 'off'}</td></tr>
         <tr><th>Enforce SAML for</th><td>${esc(s.enforceSamlFor)}</td></tr>
         <tr><th>IdP-initiated</th><td>${s.allowIdpInitiated ? 'allowed' : 'refused'}</td></tr>
         <tr><th>SP entity ID</th><td>${esc(spEntityId(ctx, ws.slug))}</td></tr>
         <tr><th>ACS URL</th><td>${esc(acsUrl(ctx, ws.slug))}</td></tr>
         ${ws.environments.map((e) => `<tr><th>${esc(e)} sign-in</th><td>${esc(methods[e]!.join(', '))}</td></tr>`).join('')}
         </tbody></table>`
      : '<p>SAML is not configured.</p>';
    res.type('html').send(
      page(
        `Admin · ${ws.name}`,
        `<p><a href="/admin">All workspaces</a></p><h1>${esc(ws.name)}</h1>
         <h2>Members</h2><table><thead><tr><th>Email</th><th>Name</th><th>Status</th>
         ${ws.environments.map((e) => `<th>${esc(e)}</th>`).join('')}<th>Groups</th><th>Auth</th><th>Source</th><th>Session</th></tr></thead>
         <tbody>${members}</tbody></table>
         <h2>SAML settings</h2>${saml}
         <h2>Audit log</h2><table><thead><tr><th>At</th><th>Source</th><th>Action</th><th>Subject</th><th>Details</th></tr></thead>
         <tbody>${events}</tbody></table>`,
      ),
    );
  });
  return r;
}
