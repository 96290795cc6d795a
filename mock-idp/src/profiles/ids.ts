import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Identifier shapes the vendors use for Response, Assertion and SessionIndex values. */

/** `n` random decimal digits. */
export function digits(n: number): string {
  let s = '';
  while (s.length < n) s += String(randomInt(0, 1_000_000_000)).padStart(9, '0');
  return s.slice(0, n);
}

/** `n` random lower-case hex characters. */
export const hex = (n: number): string =>
  randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);

/** A random version-4 UUID, lower case. */
export const uuid = (): string => randomUUID();
