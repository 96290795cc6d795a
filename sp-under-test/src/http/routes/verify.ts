import express, { type Request, type Response, type Router } from 'express';
import { audit } from '../../store/audit.js';
import { createSession } from '../../store/sessions.js';
import { findVerificationByBrowser, findVerificationByToken } from '../../store/verifications.js';
import { findWorkspace, type Workspace } from '../../store/workspaces.js';
import { acceptInvitation, renewInvitation } from '../../invitations.js';
import { findInvitationByToken } from '../../store/invitations.js';
import { VerificationRefused, redeemCode, redeemLink } from '../../verification.js';
import type { SpContext } from '../context.js';
import { errorPage, esc, page } from '../html.js';
import {
  VERIFICATION_COOKIE,
  clearVerificationCookie,
  readCookie,
  replaceBrowserSession,
} from '../session.js';
import { safeRelayState } from './saml.js';

const STATUS: Record<string, number> = {
  ERR_VERIFICATION_INVALID: 404,
  ERR_VERIFICATION_USED: 410,
  ERR_VERIFICATION_EXPIRED: 410,
  ERR_VERIFICATION_CODE: 400,
  ERR_VERIFICATION_ATTEMPTS: 429,
};

/**
 * Seed 000 "JIT provisioning for users with access to multiple workspaces": the page that
 * asks to check the mailbox (with a code form), and the emailed link. Both are single-use
 * and expire. The browser that signed in is signed in to the new workspace once it
 * verifies; a link opened elsewhere joins the workspace and then asks for SSO.
 */
export function verifyRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const ws = (req: Request, res: Response): Workspace | undefined => {
    const w = findWorkspace(ctx.db, String(req.params.ws));
    if (!w) res.status(404).type('text').send('no such workspace');
    return w;
  };
  const refuse = (res: Response, e: VerificationRefused, w: Workspace, extraHtml = '') =>
    res
      .status(STATUS[e.code] ?? 400)
      .type('html')
      .send(
        errorPage(
          'Verification failed',
          e.code,
          e.message,
          `${extraHtml}<p><a href="/saml/${esc(w.slug)}/login">Sign in to ${esc(w.name)} again</a></p>`,
        ),
      );
  const signIn = (
    req: Request,
    res: Response,
    w: Workspace,
    userId: number,
    email: string,
    relayState: string | null,
  ) => {
    const now = ctx.clock.now();
    const token = createSession(ctx.db, userId, w.id, null, now, ctx.config.sessionLifetimeMs, 'saml');
    audit(ctx.db, w.id, 'saml', 'session.created', email, { created: true, via: 'email-verification' }, now);
    clearVerificationCookie(res, w.slug);
    replaceBrowserSession(ctx, req, res, token);
    res.redirect(303, safeRelayState(w.slug, relayState));
  };

  r.get('/w/:ws/verify', (req, res) => {
    const w = ws(req, res);
    if (!w) return;
    const browser = readCookie(req, VERIFICATION_COOKIE);
    const v = browser ? findVerificationByBrowser(ctx.db, browser) : undefined;
    if (!v || v.workspaceId !== w.id || v.usedAt) {
      return void res
        .status(404)
        .type('html')
        .send(
          errorPage(
            'Nothing to verify',
            'ERR_VERIFICATION_INVALID',
            'There is no pending verification in this browser.',
            `<p><a href="/saml/${esc(w.slug)}/login">Sign in to ${esc(w.name)}</a></p>`,
          ),
        );
    }
    res.type('html').send(
      page(
        'Verify your email',
        `<h1>Verify your email to join ${esc(w.name)}</h1>
         <p data-testid="verification-sent">You already have an account. To join ${esc(w.name)},
         check your email: we sent a link and a code to the address of your account.</p>
         <form method="post" action="/w/${esc(w.slug)}/verify">
           <label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
           <button type="submit">Verify</button></form>
         <p class="muted">The link and the code expire at ${esc(v.expiresAt)}.</p>`,
      ),
    );
  });

  r.get('/w/:ws/verify/:token', (req, res) => {
    const w = ws(req, res);
    if (!w) return;
    try {
      const { member, verification } = redeemLink(
        ctx.db,
        w,
        findVerificationByToken(ctx.db, String(req.params.token)),
        ctx.clock.now(),
      );
      const browser = readCookie(req, VERIFICATION_COOKIE);
      const sameBrowser = browser && findVerificationByBrowser(ctx.db, browser)?.id === verification.id;
      if (sameBrowser) return signIn(req, res, w, member.userId, member.email, verification.relayState);
      res.type('html').send(
        page(
          'Email verified',
          `<h1>Email verified</h1><p data-testid="verified">${esc(member.email)} joined ${esc(w.name)}.</p>
           <p><a href="/saml/${esc(w.slug)}/login">Sign in to ${esc(w.name)}</a></p>`,
        ),
      );
    } catch (e) {
      if (e instanceof VerificationRefused) return refuse(res, e, w);
      throw e;
    }
  });

  // Seeds 002–004: the invitation link verifies the address of a member provisioned over SCIM.
  r.get('/w/:ws/invitation/:token', (req, res) => {
    const w = ws(req, res);
    if (!w) return;
    const invitation = findInvitationByToken(ctx.db, String(req.params.token));
    const now = ctx.clock.now();
    try {
      const outcome = acceptInvitation(ctx.db, w, invitation, now);
      // TROUBLESHOOTING: "redirects you to the Workato login page … you already have a Workato account".
      if (outcome.kind === 'sign-in-first')
        return void res.redirect(303, `/w/${encodeURIComponent(w.slug)}/sign-in`);
      res.type('html').send(
        page(
          'Email verified',
          `<h1>Email verified</h1><p data-testid="invitation-accepted">${esc(outcome.member.email)} joined ${esc(w.name)}.</p>
           <p><a href="/saml/${esc(w.slug)}/login" data-testid="sso-link">Sign in to ${esc(w.name)} with SSO</a></p>`,
        ),
      );
    } catch (e) {
      if (!(e instanceof VerificationRefused)) throw e;
      const renewed =
        e.code === 'ERR_VERIFICATION_EXPIRED' &&
        invitation !== undefined &&
        renewInvitation(
          {
            db: ctx.db,
            mailer: ctx.mailer,
            baseUrl: ctx.baseUrl(),
            lifetimeMs: ctx.config.invitationLifetimeMs,
          },
          w,
          invitation,
          now,
        );
      refuse(
        res,
        e,
        w,
        renewed
          ? '<p data-testid="invitation-renewed">A new invitation is on its way to your mailbox.</p>'
          : '',
      );
    }
  });

  r.post('/w/:ws/verify', form, (req, res) => {
    const w = ws(req, res);
    if (!w) return;
    const browser = readCookie(req, VERIFICATION_COOKIE);
    const code = typeof req.body?.code === 'string' ? req.body.code : '';
    try {
      const { member, verification } = redeemCode(
        ctx.db,
        w,
        browser ? findVerificationByBrowser(ctx.db, browser) : undefined,
        code,
        ctx.config.verificationMaxAttempts,
        ctx.clock.now(),
      );
      signIn(req, res, w, member.userId, member.email, verification.relayState);
    } catch (e) {
      if (e instanceof VerificationRefused) return void refuse(res, e, w);
      throw e;
    }
  });
  return r;
}
