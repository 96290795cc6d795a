import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import saml2 from 'saml2-js';
import { SamlRejected } from '../../saml/errors.js';
import { verifyPostLogout, verifyRedirectLogout, type VerifiedLogout } from '../../saml/verified-logout.js';
import { audit } from '../../store/audit.js';
import { endSession } from '../../store/sessions.js';
import { findWorkspace, getSamlSettings, type SamlSettings, type Workspace } from '../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../context.js';
import { esc, page } from '../html.js';
import { SESSION_COOKIE, clearSessionCookie, currentSession, readCookie } from '../session.js';

/**
 * SAML Single Logout (Profiles 4.4) for the reference SP:
 * - `GET|POST /saml/:ws/logout` ends the local session and sends a signed LogoutRequest
 *   (HTTP-Redirect) to the IdP's SLO endpoint, naming the NameID and SessionIndex;
 * - `GET|POST /saml/:ws/slo` takes the IdP's LogoutRequest (ending every session of that
 *   NameID in the workspace and answering with a signed LogoutResponse) or its
 *   LogoutResponse (finishing a logout the SP started).
 * Logout messages from the IdP must carry a signature by a trusted IdP certificate, in the
 * query string (Bindings 3.4.4.1) or enveloped (3.5.4), and only the element that signature
 * covers is read (saml/verified-logout.ts); saml2-js does not check those.
 */
export function sloRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: ctx.config.maxSamlResponseBytes * 2 });

  const sp = (slug: string) =>
    new saml2.ServiceProvider({
      entity_id: spEntityId(ctx, slug),
      assert_endpoint: acsUrl(ctx, slug),
      private_key: ctx.keyPair.privateKeyPem,
      certificate: ctx.keyPair.certificatePem,
      sign_get_request: true,
    });
  const idp = (settings: SamlSettings) =>
    new saml2.IdentityProvider({
      sso_login_url: settings.ssoUrl,
      sso_logout_url: settings.sloUrl ?? settings.ssoUrl,
      certificates: settings.certificates,
    });
  const refuse = (res: Response, status: number, code: string, message: string) =>
    void res
      .status(status)
      .type('html')
      .send(
        page(
          'Sign-out refused',
          `<h1>Sign-out refused</h1><div class="error" data-error-code="${esc(code)}"><p>${esc(message)}</p></div>`,
        ),
      );
  const workspaceOf = (req: Request, res: Response): [Workspace, SamlSettings] | undefined => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const settings = getSamlSettings(ctx.db, ws.id);
    if (!settings) return void refuse(res, 409, 'ERR_SAML_NOT_CONFIGURED', 'SAML is not configured.');
    return [ws, settings];
  };
  const signedOut = (res: Response, ws: Workspace) =>
    res.redirect(303, `/w/${encodeURIComponent(ws.slug)}/signed-out`);

  const startLogout = (req: Request, res: Response) => {
    const found = workspaceOf(req, res);
    if (!found) return;
    const [ws, settings] = found;
    const session = currentSession(ctx, req);
    const token = readCookie(req, SESSION_COOKIE);
    const row = token
      ? (ctx.db
          .prepare('SELECT saml_session_index AS sessionIndex FROM sessions WHERE token_hash = ?')
          .get(createHash('sha256').update(token).digest('hex')) as
          { sessionIndex: string | null } | undefined)
      : undefined;
    if (token) endSession(ctx.db, token, ctx.clock.now());
    clearSessionCookie(res);
    if (!session || !settings.sloUrl) return void signedOut(res, ws);
    audit(ctx.db, ws.id, 'saml', 'session.ended', session.email, { by: 'sp-logout' }, ctx.clock.now());
    sp(ws.slug).create_logout_request_url(
      idp(settings),
      { name_id: session.email, session_index: row?.sessionIndex ?? undefined, sign_get_request: true },
      (err: Error | null, url: string) =>
        err ? refuse(res, 500, 'ERR_SLO', err.message) : res.redirect(302, url),
    );
  };
  r.get('/saml/:ws/logout', startLogout);
  r.post('/saml/:ws/logout', startLogout);

  const receive = (binding: 'redirect' | 'post') => (req: Request, res: Response) => {
    const found = workspaceOf(req, res);
    if (!found) return;
    const [ws, settings] = found;
    const body = (binding === 'redirect' ? req.query : req.body) as Record<string, string>;
    const encoded = body?.SAMLRequest ?? body?.SAMLResponse;
    if (typeof encoded !== 'string') return refuse(res, 400, 'ERR_SAML_MISSING', 'no SAML logout message');
    let message: VerifiedLogout;
    try {
      message =
        binding === 'redirect'
          ? verifyRedirectLogout(
              req.originalUrl.split('?')[1] ?? '',
              settings.certificates,
              ctx.config.maxSamlResponseBytes,
            )
          : verifyPostLogout(Buffer.from(encoded, 'base64').toString('utf8'), settings.certificates);
    } catch (e) {
      const code = e instanceof SamlRejected ? e.code : 'ERR_SAML_MALFORMED';
      return refuse(res, 403, code, (e as Error).message);
    }
    if (message.issuer !== settings.idpEntityId) {
      return refuse(res, 403, 'ERR_SAML_ISSUER', `logout message from ${message.issuer ?? 'nobody'}`);
    }
    if (message.kind === 'response') return void signedOut(res, ws);
    const now = ctx.clock.now();
    const ended = ctx.db
      .prepare(
        `UPDATE sessions SET ended_at = ? WHERE workspace_id = ? AND ended_at IS NULL
           AND user_id IN (SELECT id FROM users WHERE lower(email) = lower(?))`,
      )
      .run(now.toISOString(), ws.id, message.nameId ?? '').changes;
    audit(ctx.db, ws.id, 'saml', 'session.ended', message.nameId ?? null, { by: 'idp-logout', ended }, now);
    sp(ws.slug).create_logout_response_url(
      idp(settings),
      { in_response_to: message.id, sign_get_request: true },
      (err: Error | null, url: string) =>
        err ? refuse(res, 500, 'ERR_SLO', err.message) : res.redirect(302, url),
    );
  };
  r.get('/saml/:ws/slo', receive('redirect'));
  r.post('/saml/:ws/slo', form, receive('post'));
  return r;
}
