import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether two secrets are equal, compared as SHA-256 digests in constant time (neither value nor length leaks through timing). */
export const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

/**
 * Whether a request's `Authorization` header carries `expected` under `scheme` (`Bearer`, RFC
 * 6750 §2.1, or Okta's `SSWS`), compared with sameSecret.
 */
export function carriesToken(req: IncomingMessage, expected: string, scheme = 'Bearer'): boolean {
  const header = req.headers.authorization ?? '';
  const prefix = `${scheme} `;
  const given = header.startsWith(prefix) ? header.slice(prefix.length) : '';
  return given !== '' && sameSecret(given, expected);
}
