import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const COST = { N: 16384, r: 8, p: 1 };

/** Hashes a password with scrypt and a random salt: `scrypt$<salt>$<hash>`. */
export function hashPassword(password: string): string {
  if (typeof password !== 'string' || password.length < 8)
    throw new TypeError('a password needs at least 8 characters');
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_LENGTH, COST);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export function verifyPassword(password: string, stored: string | null | undefined): boolean {
  const [scheme, salt, hash] = (stored ?? '').split('$');
  if (scheme !== 'scrypt' || !salt || !hash) {
    // Spend the same effort so timing does not tell whether the account has a password.
    scryptSync(password, 'no-account', KEY_LENGTH, COST);
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, COST);
  return timingSafeEqual(actual, expected);
}
