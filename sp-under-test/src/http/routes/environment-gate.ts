import type { Request, Response } from 'express';
import { ACCESS_ERROR_CODES, environmentRefusal } from '../../auth-policy.js';
import { environmentMethods, type AuthMethod } from '../../store/environment-auth.js';
import type { Member } from '../../store/members.js';
import type { SessionRow } from '../../store/sessions.js';
import type { Workspace } from '../../store/workspaces.js';
import type { SpContext } from '../context.js';
import { errorPage, esc, page } from '../html.js';
import { clearSessionCookie, currentSignIn } from '../session.js';

/** The answer to the next request of a member who was deprovisioned: the session is over. */
export function lockedOut(res: Response, ws: Workspace): void {
  clearSessionCookie(res);
  res
    .status(403)
    .type('html')
    .send(
      page(
        'Access removed',
        `<h1>Access removed</h1><p data-locked-out>Your access to ${esc(ws.name)} has ended.</p>`,
      ),
    );
}

export const ssoLogin = (ws: Workspace, relay: string) =>
  `/saml/${encodeURIComponent(ws.slug)}/login?RelayState=${encodeURIComponent(relay)}`;

/**
 * Lets the request into one environment of the workspace: a signed-in, active member whose
 * role there is not NoAccess, with a session the environment's sign-in methods accept. The
 * member and roles are re-read on every request, so a change made over SCIM or by an admin
 * applies to the very next action (seed 002 "the next action the user takes in Workato updates
 * their access privileges"). Otherwise it answers (sign-in, lock-out or refusal) and returns
 * undefined.
 */
export function enterEnvironment(
  ctx: SpContext,
  req: Request,
  res: Response,
  ws: Workspace,
  env: string,
): { member: Member; session: SessionRow & { token: string } } | undefined {
  const methods = environmentMethods(ctx.db, ws.id, ws.environments);
  const signIn = currentSignIn(ctx, req, ws);
  if (signIn === 'locked') return void lockedOut(res, ws);
  if (signIn === 'none') {
    const accepted = methods[env] ?? ['saml'];
    return void res.redirect(
      302,
      accepted.includes('saml')
        ? ssoLogin(ws, req.originalUrl)
        : `/w/${encodeURIComponent(ws.slug)}/sign-in?next=${encodeURIComponent(req.originalUrl)}`,
    );
  }
  const refusal = environmentRefusal(signIn.member, env, signIn.session.authMethod as AuthMethod, methods);
  if (!refusal) return signIn;
  const other =
    refusal === 'ERR_ENV_REQUIRES_SSO'
      ? `<p><a href="${esc(ssoLogin(ws, req.originalUrl))}" data-testid="sso-link">Sign in with SSO</a></p>`
      : refusal === 'ERR_ENV_REQUIRES_PASSWORD'
        ? `<p><a href="/w/${esc(ws.slug)}/sign-in?next=${esc(encodeURIComponent(req.originalUrl))}">Sign in with a password</a></p>`
        : '';
  res
    .status(refusal === 'ERR_ENV_UNKNOWN' ? 404 : 403)
    .type('html')
    .send(errorPage(`${env} is not open to you`, refusal, `${env}: ${ACCESS_ERROR_CODES[refusal]}.`, other));
  return undefined;
}
