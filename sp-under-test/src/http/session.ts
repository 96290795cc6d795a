import type { Request, Response } from 'express';
import { findMemberByUserId, type Member } from '../store/members.js';
import { endSession, findSession, type SessionRow } from '../store/sessions.js';
import type { Workspace } from '../store/workspaces.js';
import type { SpContext } from './context.js';

export const SESSION_COOKIE = 'sp_session';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function setSessionCookie(ctx: SpContext, res: Response, token: string): void {
  const secure = ctx.baseUrl().startsWith('https:') ? '; Secure' : '';
  res.append(
    'Set-Cookie',
    `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(
      ctx.config.sessionLifetimeMs / 1000,
    )}${secure}`,
  );
}

/**
 * Hands the browser a new session. The session its cookie held before (another workspace,
 * an earlier sign-in) ends: one browser holds one session, so none is left orphaned.
 */
export function replaceBrowserSession(ctx: SpContext, req: Request, res: Response, token: string): void {
  const previous = readCookie(req, SESSION_COOKIE);
  if (previous) endSession(ctx.db, previous, ctx.clock.now());
  setSessionCookie(ctx, res, token);
}

export const VERIFICATION_COOKIE = 'sp_verify';

/** The browser secret of a pending email verification, scoped to the workspace's verify pages. */
export function setVerificationCookie(ctx: SpContext, res: Response, slug: string, browser: string): void {
  const secure = ctx.baseUrl().startsWith('https:') ? '; Secure' : '';
  res.append(
    'Set-Cookie',
    `${VERIFICATION_COOKIE}=${encodeURIComponent(browser)}; Path=/w/${encodeURIComponent(slug)}/verify; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(
      ctx.config.verificationLifetimeMs / 1000,
    )}${secure}`,
  );
}

export function clearVerificationCookie(res: Response, slug: string): void {
  res.append(
    'Set-Cookie',
    `${VERIFICATION_COOKIE}=; Path=/w/${encodeURIComponent(slug)}/verify; HttpOnly; SameSite=Lax; Max-Age=0`,
  );
}

export function clearSessionCookie(res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}

/**
 * The signed-in member of `workspace`, re-read from the store on every request so that a
 * status or role change made elsewhere (admin, SCIM) applies to the very next action.
 */
export function currentMember(
  ctx: SpContext,
  req: Request,
  workspace: Workspace,
): Member | 'none' | 'locked' {
  const signIn = currentSignIn(ctx, req, workspace);
  return typeof signIn === 'string' ? signIn : signIn.member;
}

/** The current session, whatever workspace it belongs to, or undefined. */
export function currentSession(ctx: SpContext, req: Request): (SessionRow & { token: string }) | undefined {
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return undefined;
  const session = findSession(ctx.db, token, ctx.clock.now());
  return session && { ...session, token };
}

/** Like currentMember, with the session it came from (for its authentication method). */
export function currentSignIn(
  ctx: SpContext,
  req: Request,
  workspace: Workspace,
): { member: Member; session: SessionRow & { token: string } } | 'none' | 'locked' {
  const session = currentSession(ctx, req);
  if (!session || session.workspaceId !== workspace.id) return 'none';
  const member = findMemberByUserId(ctx.db, workspace.id, session.userId);
  if (!member || member.status !== 'active') {
    endSession(ctx.db, session.token, ctx.clock.now());
    return 'locked';
  }
  return { member, session };
}
