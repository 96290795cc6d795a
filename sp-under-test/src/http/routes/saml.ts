import express, { type Request, type Response, type Router } from 'express';
import saml2 from 'saml2-js';
import { LoginRefused, signInWithSaml } from '../../jit.js';
import { ACS_CHECKS, runAcsChecks } from '../../saml/checks/index.js';
import type { AcsContext } from '../../saml/checks/context.js';
import { SamlRejected } from '../../saml/errors.js';
import { audit } from '../../store/audit.js';
import { recordAuthnRequest } from '../../store/saml-state.js';
import { createSession } from '../../store/sessions.js';
import { findWorkspace, getSamlSettings, type Workspace } from '../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../context.js';
import { esc, page } from '../html.js';
import { replaceBrowserSession, setVerificationCookie } from '../session.js';
import { startVerification } from '../../verification.js';
import { inviteMember } from '../../invitations.js';

function serviceProvider(ctx: SpContext, slug: string) {
  return new saml2.ServiceProvider({
    entity_id: spEntityId(ctx, slug),
    assert_endpoint: acsUrl(ctx, slug),
    private_key: ctx.keyPair.privateKeyPem,
    certificate: ctx.keyPair.certificatePem,
    allow_unencrypted_assertion: true,
  });
}

/** Only same-workspace relative paths are honoured as RelayState, so it cannot redirect elsewhere. */
export function safeRelayState(slug: string, value: unknown): string {
  const home = `/w/${encodeURIComponent(slug)}`;
  if (typeof value !== 'string') return home;
  return value === home || value.startsWith(home + '/') || value.startsWith(home + '?') ? value : home;
}

function refusal(res: Response, status: number, code: string, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      page(
        'Sign-in refused',
        `<h1>Sign-in refused</h1><div class="error" data-error-code="${esc(code)}"><p>${esc(message)}</p>
         <p class="muted">Error code <code>${esc(code)}</code></p></div>`,
      ),
    );
}

export function samlRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const workspaceOr404 = (req: Request, res: Response): Workspace | undefined => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) res.status(404).type('text').send('no such workspace');
    return ws;
  };

  r.get('/saml/:ws/metadata', (req, res) => {
    const ws = workspaceOr404(req, res);
    if (!ws) return;
    res.type('application/samlmetadata+xml').send(serviceProvider(ctx, ws.slug).create_metadata());
  });

  r.get('/saml/:ws/login', (req, res, next) => {
    const ws = workspaceOr404(req, res);
    if (!ws) return;
    const settings = getSamlSettings(ctx.db, ws.id);
    if (!settings)
      return refusal(res, 409, 'ERR_SAML_NOT_CONFIGURED', 'SAML is not configured for this workspace.');
    const relayState = safeRelayState(ws.slug, req.query.RelayState);
    const idp = new saml2.IdentityProvider({
      sso_login_url: settings.ssoUrl,
      sso_logout_url: settings.sloUrl ?? settings.ssoUrl,
      certificates: settings.certificates,
    });
    serviceProvider(ctx, ws.slug).create_login_request_url(
      idp,
      // SAML Bindings 3.4.4.1: a signed request carries SigAlg and Signature in the query.
      { relay_state: relayState, sign_get_request: settings.signAuthnRequests === true },
      (err: Error | null, url: string, requestId: string) => {
        if (err) return next(err);
        recordAuthnRequest(ctx.db, requestId, ws.id, relayState, ctx.clock.now());
        res.redirect(302, url);
      },
    );
  });

  const parseForm = express.urlencoded({ extended: false, limit: ctx.config.maxSamlResponseBytes * 2 });
  /** A form over the limit is refused as too large, before anything in it is decoded (SAML Security Considerations 6.5). */
  const form = (req: Request, res: Response, next: (e?: unknown) => void) =>
    parseForm(req, res, (e?: unknown) => {
      if ((e as { type?: string } | undefined)?.type !== 'entity.too.large') return next(e);
      const ws = workspaceOr404(req, res);
      if (!ws) return;
      const detail = `the form is over ${ctx.config.maxSamlResponseBytes * 2} bytes`;
      audit(
        ctx.db,
        ws.id,
        'saml',
        'saml.rejected',
        null,
        { code: 'ERR_SAML_TOO_LARGE', detail },
        ctx.clock.now(),
      );
      refusal(res, 413, 'ERR_SAML_TOO_LARGE', `${new SamlRejected('ERR_SAML_TOO_LARGE').message}: ${detail}`);
    });
  const unknown = ctx.config.disabledAcsChecks.filter((n) => !ACS_CHECKS.some(([name]) => name === n));
  if (unknown.length) throw new TypeError(`disabledAcsChecks names no ACS check: ${unknown.join(', ')}`);
  r.post('/saml/:ws/acs', form, async (req, res, next) => {
    const ws = workspaceOr404(req, res);
    if (!ws) return;
    const settings = getSamlSettings(ctx.db, ws.id);
    if (!settings)
      return refusal(res, 409, 'ERR_SAML_NOT_CONFIGURED', 'SAML is not configured for this workspace.');
    const now = ctx.clock.now();
    const acs: AcsContext = {
      db: ctx.db,
      now,
      workspace: ws,
      settings,
      spEntityId: spEntityId(ctx, ws.slug),
      acsUrl: acsUrl(ctx, ws.slug),
      clockSkewMs: ctx.config.clockSkewMs,
      maxResponseBytes: ctx.config.maxSamlResponseBytes,
      allowSha1: settings.allowSha1 ?? ctx.config.allowSha1,
      requestMaxAgeMs: ctx.config.authnRequestMaxAgeMs,
      keyPair: ctx.keyPair,
      body: (req.body ?? {}) as Record<string, unknown>,
    };
    try {
      const login = await runAcsChecks(acs, ctx.config.disabledAcsChecks);
      const result = signInWithSaml(
        ctx.db,
        ws,
        settings,
        { nameId: login.nameId, nameIdFormat: login.nameIdFormat, attributes: login.attributes },
        now,
      );
      const relayState = safeRelayState(ws.slug, req.body?.RelayState);
      if (result.kind === 'invitation-pending') {
        const { member } = result;
        // An expired invitation is replaced, so following the newest mail still works.
        if (result.invitationExpired) {
          inviteMember(
            {
              db: ctx.db,
              mailer: ctx.mailer,
              baseUrl: ctx.baseUrl(),
              lifetimeMs: ctx.config.invitationLifetimeMs,
            },
            ws,
            member,
            false,
            now,
          );
        }
        throw new LoginRefused('ERR_INVITATION_PENDING', member.email);
      }
      if (result.kind === 'verify-email') {
        const started = await startVerification(
          {
            db: ctx.db,
            mailer: ctx.mailer,
            baseUrl: ctx.baseUrl(),
            lifetimeMs: ctx.config.verificationLifetimeMs,
          },
          ws,
          result,
          relayState,
          now,
        );
        if (started.mail.status !== 'sent') {
          return refusal(
            res,
            502,
            'ERR_MAIL_FAILED',
            `The verification email to ${result.email} could not be sent (${started.mail.error ?? started.mail.status}).`,
          );
        }
        setVerificationCookie(ctx, res, ws.slug, started.browser);
        return void res.redirect(303, `/w/${encodeURIComponent(ws.slug)}/verify`);
      }
      const token = createSession(
        ctx.db,
        result.member.userId,
        ws.id,
        login.sessionIndex ?? null,
        now,
        ctx.config.sessionLifetimeMs,
        'saml',
      );
      audit(ctx.db, ws.id, 'saml', 'session.created', result.member.email, { created: result.created }, now);
      replaceBrowserSession(ctx, req, res, token);
      res.redirect(303, relayState);
    } catch (e) {
      if (e instanceof SamlRejected) {
        audit(ctx.db, ws.id, 'saml', 'saml.rejected', null, { code: e.code, detail: e.detail ?? null }, now);
        return refusal(res, 403, e.code, e.message);
      }
      if (e instanceof LoginRefused) {
        audit(
          ctx.db,
          ws.id,
          'jit',
          'login.refused',
          acs.nameId ?? null,
          { code: e.code, reason: e.message },
          now,
        );
        return refusal(res, 403, e.code, e.message);
      }
      next(e);
    }
  });
  return r;
}
