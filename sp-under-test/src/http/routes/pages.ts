import express, { type Router } from 'express';
import { environmentRefusal, samlRequiredFor } from '../../auth-policy.js';
import { folderOf, mayOpenFolder, rightsOf } from '../../permissions.js';
import { listAssets } from '../../store/assets.js';
import { audit } from '../../store/audit.js';
import { environmentMethods, type AuthMethod } from '../../store/environment-auth.js';
import { groupsOfMember } from '../../store/groups.js';
import { activeWorkspacesOfUser, findMemberByUserId, listMembers } from '../../store/members.js';
import { organisationOfWorkspace } from '../../store/organisations.js';
import { createSession, endSession } from '../../store/sessions.js';
import { findWorkspace, findWorkspaceById, getSamlSettings } from '../../store/workspaces.js';
import type { SpContext } from '../context.js';
import { errorPage, esc, page } from '../html.js';
import {
  SESSION_COOKIE,
  clearSessionCookie,
  currentSession,
  currentSignIn,
  readCookie,
  replaceBrowserSession,
} from '../session.js';
import { assetList, assetRoutes, visibleAssets } from './assets.js';
import { enterEnvironment, lockedOut, ssoLogin } from './environment-gate.js';
import { signInRoutes } from './sign-in.js';
import { verifyRoutes } from './verify.js';

export function pageRoutes(ctx: SpContext): Router {
  const r = express.Router();

  r.get('/', (_req, res) => {
    res
      .type('html')
      .send(
        page('sp-under-test', '<h1>sp-under-test</h1><p>Sign in at <code>/w/&lt;workspace&gt;</code>.</p>'),
      );
  });

  r.use(verifyRoutes(ctx));
  r.use(signInRoutes(ctx));
  r.use(assetRoutes(ctx));

  r.post('/w/:ws/logout', (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) endSession(ctx.db, token, ctx.clock.now());
    clearSessionCookie(res);
    res.redirect(303, `/w/${encodeURIComponent(String(req.params.ws))}/signed-out`);
  });

  r.get('/w/:ws/signed-out', (req, res) => {
    res
      .type('html')
      .send(page('Signed out', `<h1>Signed out</h1><p data-signed-out>You left ${esc(req.params.ws)}.</p>`));
  });

  // Seed 000 step 8: "The user can switch between the Finance and HR workspaces".
  r.get('/switch', (req, res) => {
    const session = currentSession(ctx, req);
    if (!session) return void res.redirect(302, '/');
    const current = findWorkspaceById(ctx.db, session.workspaceId);
    const items = activeWorkspacesOfUser(ctx.db, session.userId)
      .map((w) =>
        w.workspaceId === session.workspaceId
          ? `<li data-workspace="${esc(w.slug)}"><strong>${esc(w.name)}</strong> (current)</li>`
          : `<li data-workspace="${esc(w.slug)}"><a href="/switch/${esc(w.slug)}">${esc(w.name)}</a></li>`,
      )
      .join('');
    res.type('html').send(
      page(
        'Switch workspace',
        `<h1>Switch workspace</h1><p data-testid="signed-in-as" data-signed-in-email="${esc(session.email)}">Signed in as <strong>${esc(session.email)}</strong>
         in ${esc(current?.name ?? '')}</p><ul data-testid="workspaces">${items}</ul>`,
      ),
    );
  });

  r.get('/switch/:ws', (req, res) => {
    const target = findWorkspace(ctx.db, String(req.params.ws));
    if (!target) return void res.status(404).type('text').send('no such workspace');
    const session = currentSession(ctx, req);
    if (!session) return void res.redirect(302, ssoLogin(target, `/w/${target.slug}`));
    const member = findMemberByUserId(ctx.db, target.id, session.userId);
    if (!member || member.status !== 'active') {
      return void res
        .status(403)
        .type('html')
        .send(
          errorPage(
            'Not a member',
            'ERR_NOT_A_MEMBER',
            `${session.email} is not an active member of ${target.name}.`,
            `<p><a href="/saml/${esc(target.slug)}/login">Sign in to ${esc(target.name)} with SSO</a></p>`,
          ),
        );
    }
    // The sign-in carries over only inside one organisation, and only when it satisfies the
    // target's policy; otherwise the target's own SSO runs.
    const fromOrg = organisationOfWorkspace(ctx.db, session.workspaceId)?.id;
    const sameOrg = fromOrg !== undefined && fromOrg === organisationOfWorkspace(ctx.db, target.id)?.id;
    const method = session.authMethod as AuthMethod;
    if (!sameOrg || (method === 'password' && samlRequiredFor(member, getSamlSettings(ctx.db, target.id)))) {
      return void res.redirect(302, ssoLogin(target, `/w/${target.slug}`));
    }
    const now = ctx.clock.now();
    const token = createSession(
      ctx.db,
      member.userId,
      target.id,
      null,
      now,
      ctx.config.sessionLifetimeMs,
      method,
    );
    audit(
      ctx.db,
      target.id,
      method === 'password' ? 'password' : 'saml',
      'session.switched',
      member.email,
      {
        from: findWorkspaceById(ctx.db, session.workspaceId)?.slug ?? null,
      },
      now,
    );
    replaceBrowserSession(ctx, req, res, token);
    res.redirect(303, `/w/${encodeURIComponent(target.slug)}`);
  });

  // One environment of the workspace: the member's role there and the session's method must both allow it.
  r.get('/w/:ws/env/:env', (req, res) => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const env = String(req.params.env);
    const inside = enterEnvironment(ctx, req, res, ws, env);
    if (!inside) return;
    const { member, session } = inside;
    const rights = rightsOf(ctx.db, ws.id, member.roles[env]);
    const assets = visibleAssets(ctx, ws, rights);
    const folders = [...new Set(listAssets(ctx.db, ws.id).map((a) => folderOf(a.folder)))]
      .filter((f) => mayOpenFolder(rights, f))
      .sort();
    res.type('html').send(
      page(
        `${ws.name} ${env} — sp-under-test`,
        `<h1>${esc(ws.name)} · ${esc(env)}</h1>
         <p data-testid="signed-in-as" data-signed-in-email="${esc(member.email)}">Signed in as <strong>${esc(member.email)}</strong> (${esc(member.name)})</p>
         <p data-testid="environment">Environment ${esc(env)}, role <strong data-role>${esc(member.roles[env])}</strong>,
         signed in with ${session.authMethod === 'password' ? 'a password' : 'SAML SSO'}.</p>
         <p data-testid="rights">Recipes: ${esc(rights.recipes)} · connections: ${esc(rights.connections)} · folders:
         ${rights.folders === 'all' ? 'all' : esc(rights.folders.join(', ') || 'none')}</p>
         <ul data-testid="folders">${folders
           .map(
             (f) =>
               `<li><a href="/w/${esc(ws.slug)}/env/${esc(env)}/folders/${esc(encodeURIComponent(f))}">${esc(f)}</a></li>`,
           )
           .join('')}</ul>
         ${assetList(ws, env, assets)}
         <p><a href="/w/${esc(ws.slug)}">Back to ${esc(ws.name)}</a></p>`,
      ),
    );
  });

  // The workspace's members, for its admins (a member with the Admin role in some environment).
  r.get('/w/:ws/members', (req, res) => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const signIn = currentSignIn(ctx, req, ws);
    if (signIn === 'locked') return lockedOut(res, ws);
    if (signIn === 'none') return void res.redirect(302, ssoLogin(ws, req.originalUrl));
    if (!Object.values(signIn.member.roles).includes('Admin')) {
      return void res
        .status(403)
        .type('html')
        .send(errorPage('Admins only', 'ERR_NOT_ADMIN', `Only admins of ${ws.name} see its members.`));
    }
    const rows = listMembers(ctx.db, ws.id)
      .map(
        (m) =>
          `<tr data-member="${esc(m.email)}"><td>${esc(m.email)}</td><td>${esc(m.name)}</td><td>${esc(m.status)}</td>` +
          ws.environments.map((e) => `<td>${esc(m.roles[e] ?? '—')}</td>`).join('') +
          `<td>${esc(groupsOfMember(ctx.db, m.memberId).join(', '))}</td><td>${m.authMethod === 'saml' ? 'SSO required' : 'password allowed'}</td></tr>`,
      )
      .join('');
    res.type('html').send(
      page(
        `${ws.name} members`,
        `<h1>${esc(ws.name)} · members</h1>
         <p data-testid="signed-in-as" data-signed-in-email="${esc(signIn.member.email)}">Signed in as <strong>${esc(signIn.member.email)}</strong></p>
         <table><thead><tr><th>Email</th><th>Name</th><th>Status</th>${ws.environments.map((e) => `<th>${esc(e)}</th>`).join('')}
         <th>Groups</th><th>Sign-in</th></tr></thead><tbody>${rows}</tbody></table>
         <p><a href="/w/${esc(ws.slug)}">Back to ${esc(ws.name)}</a></p>`,
      ),
    );
  });

  // Every page inside a workspace re-checks the member on each request.
  r.get(['/w/:ws', '/w/:ws/{*rest}'], (req, res) => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const signIn = currentSignIn(ctx, req, ws);
    if (signIn === 'locked') return lockedOut(res, ws);
    if (signIn === 'none') return void res.redirect(302, ssoLogin(ws, req.originalUrl));
    const { member, session } = signIn;
    const methods = environmentMethods(ctx.db, ws.id, ws.environments);
    const rows = ws.environments
      .map((env) => {
        const refusal = environmentRefusal(member, env, session.authMethod as AuthMethod, methods);
        const open = refusal
          ? `<span class="muted">${esc(refusal)}</span>`
          : `<a href="/w/${esc(ws.slug)}/env/${esc(env)}">open</a>`;
        return `<tr><td>${esc(env)}</td><td data-env="${esc(env)}">${esc(member.roles[env] ?? 'no access')}</td><td>${esc(methods[env]!.join(', '))}</td><td>${open}</td></tr>`;
      })
      .join('');
    const groups = groupsOfMember(ctx.db, member.memberId);
    const others = activeWorkspacesOfUser(ctx.db, member.userId).length > 1;
    const rest = req.params.rest;
    const where = Array.isArray(rest) ? rest.join('/') : rest ? String(rest) : '';
    res.type('html').send(
      page(
        `${ws.name} — sp-under-test`,
        `<h1>${esc(ws.name)}</h1>
         <p data-testid="signed-in-as" data-signed-in-email="${esc(member.email)}">Signed in as <strong>${esc(member.email)}</strong> (${esc(member.name)})</p>
         <p data-testid="workspace">Workspace <code>${esc(ws.slug)}</code>${others ? ` · <a href="/switch" data-testid="switch-link">Switch workspace</a>` : ''}</p>
         ${where ? `<p data-testid="location">You are at <code>/${esc(where)}</code></p>` : ''}
         <table><thead><tr><th>Environment</th><th>Role</th><th>Sign-in methods</th><th></th></tr></thead><tbody>${rows}</tbody></table>
         <p data-testid="groups">Groups: ${groups.length ? groups.map(esc).join(', ') : 'none'}</p>
         ${Object.values(member.roles).includes('Admin') ? `<p><a href="/w/${esc(ws.slug)}/members">Members</a></p>` : ''}
         <form method="post" action="/w/${esc(ws.slug)}/logout"><button type="submit">Sign out</button></form>`,
      ),
    );
  });
  return r;
}
