import express, { type Request, type Response, type Router } from 'express';
import { ACCESS_ERROR_CODES, samlRequiredFor } from '../../auth-policy.js';
import { verifyPassword } from '../../passwords.js';
import { audit } from '../../store/audit.js';
import { environmentMethods } from '../../store/environment-auth.js';
import { findMemberByEmail, userPasswordHash, type Member } from '../../store/members.js';
import { createSession } from '../../store/sessions.js';
import { findWorkspace, getSamlSettings, type Workspace } from '../../store/workspaces.js';
import type { SpContext } from '../context.js';
import { errorPage, esc, page } from '../html.js';
import { replaceBrowserSession } from '../session.js';
import { safeRelayState } from './saml.js';

/**
 * Password sign-in, identifier first: the email decides whether a password may be used at
 * all (seed 001 "Enforce SAML authentication for …"); members who must use SSO are sent to
 * it with a clear message instead of a password form.
 */
export function signInRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const ws = (req: Request, res: Response): Workspace | undefined => {
    const w = findWorkspace(ctx.db, String(req.params.ws));
    if (!w) res.status(404).type('text').send('no such workspace');
    return w;
  };
  const ssoLink = (w: Workspace, next: string) =>
    `<p><a href="/saml/${esc(w.slug)}/login?RelayState=${esc(encodeURIComponent(next))}" data-testid="sso-link">Sign in with SSO</a></p>`;
  /** The reason this member may not use a password here, if any. */
  const passwordRefusal = (w: Workspace, member: Member | undefined) => {
    const methods = environmentMethods(ctx.db, w.id, w.environments);
    if (!Object.values(methods).some((m) => m.includes('password')))
      return 'ERR_PASSWORD_NOT_ACCEPTED' as const;
    if (member && samlRequiredFor(member, getSamlSettings(ctx.db, w.id))) return 'ERR_SSO_ENFORCED' as const;
    return null;
  };

  r.get('/w/:ws/sign-in', (req, res) => {
    const w = ws(req, res);
    if (!w) return;
    const next = safeRelayState(w.slug, req.query.next);
    const email = typeof req.query.email === 'string' ? req.query.email.trim() : '';
    if (!email) {
      return void res.type('html').send(
        page(
          `Sign in to ${w.name}`,
          `<h1>Sign in to ${esc(w.name)}</h1>
           <form method="get" action="/w/${esc(w.slug)}/sign-in"><input type="hidden" name="next" value="${esc(next)}">
           <label>Email <input type="email" name="email" autocomplete="username" required></label>
           <button type="submit">Continue</button></form>${ssoLink(w, next)}`,
        ),
      );
    }
    const refusal = passwordRefusal(w, findMemberByEmail(ctx.db, w.id, email));
    if (refusal) {
      return void res
        .status(403)
        .type('html')
        .send(
          errorPage(
            'Use single sign-on',
            refusal,
            refusal === 'ERR_SSO_ENFORCED'
              ? `${w.name} requires ${email} to sign in with SAML single sign-on; passwords are not accepted for this account.`
              : ACCESS_ERROR_CODES[refusal],
            ssoLink(w, next),
          ),
        );
    }
    res.type('html').send(
      page(
        `Sign in to ${w.name}`,
        `<h1>Sign in to ${esc(w.name)}</h1>
         <form method="post" action="/w/${esc(w.slug)}/sign-in"><input type="hidden" name="next" value="${esc(next)}">
         <label>Account <select name="username"><option value="${esc(email)}" selected>${esc(email)}</option></select></label>
         <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
         <button type="submit">Sign in</button></form>
         <p><a href="/w/${esc(w.slug)}/sign-in">Use another account</a></p>`,
      ),
    );
  });

  r.post('/w/:ws/sign-in', form, (req, res) => {
    const w = ws(req, res);
    if (!w) return;
    const b = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof b.username === 'string' ? b.username.trim() : '';
    const password = typeof b.password === 'string' ? b.password : '';
    const next = safeRelayState(w.slug, b.next);
    const member = email ? findMemberByEmail(ctx.db, w.id, email) : undefined;
    const now = ctx.clock.now();
    const passwordOk = verifyPassword(password, member ? userPasswordHash(ctx.db, member.userId) : null);
    if (!member || !passwordOk || member.status !== 'active') {
      audit(ctx.db, w.id, 'password', 'login.refused', email || null, { code: 'ERR_BAD_CREDENTIALS' }, now);
      return void res
        .status(401)
        .type('html')
        .send(errorPage('Sign-in refused', 'ERR_BAD_CREDENTIALS', ACCESS_ERROR_CODES.ERR_BAD_CREDENTIALS));
    }
    const refusal = passwordRefusal(w, member);
    if (refusal) {
      audit(ctx.db, w.id, 'password', 'login.refused', member.email, { code: refusal }, now);
      return void res
        .status(403)
        .type('html')
        .send(errorPage('Use single sign-on', refusal, ACCESS_ERROR_CODES[refusal], ssoLink(w, next)));
    }
    const token = createSession(
      ctx.db,
      member.userId,
      w.id,
      null,
      now,
      ctx.config.sessionLifetimeMs,
      'password',
    );
    audit(ctx.db, w.id, 'password', 'session.created', member.email, { created: false }, now);
    replaceBrowserSession(ctx, req, res, token);
    res.redirect(303, next);
  });
  return r;
}
