import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Bearer tokens (RFC 6750 §2.1) for every API of the SP: the admin API, SCIM, and the admin view's
 * form. The scheme name is case-insensitive (RFC 7235 §2.1).
 */
export function bearerToken(req: Request): string | undefined {
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether `given` is the secret `expected`, compared in constant time (over their SHA-256 digests). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  return given !== undefined && given !== '' && timingSafeEqual(digest(given), digest(expected));
}

/** Lets through only requests that bear the admin token; others get 401 ERR_ADMIN_TOKEN. */
export function requireAdminToken(adminToken: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (sameSecret(bearerToken(req), adminToken)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer')
      .json({ error: { code: 'ERR_ADMIN_TOKEN', message: 'a valid admin bearer token is required' } });
  };
}
