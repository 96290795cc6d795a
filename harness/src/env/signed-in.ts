import type { Driver, PageState } from '../drivers/driver.js';

/**
 * Who a page shows signed in at the SP: a person (by email), nobody, or unknown when the target
 * cannot tell (then a check that needs it is not applicable, with the reason).
 */
export type SignedInReading =
  | { kind: 'user'; email: string; evidence: string }
  | { kind: 'none'; evidence: string }
  | { kind: 'unknown'; reason: string };

/** Reads who is signed in, from the current page and, where the target says so, a request in the same session. */
export type SignedInReader = (page: PageState, driver: Driver) => Promise<SignedInReading>;

/** Emails are the same person when they are equal ignoring case: never by substring. */
export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a reading shows `email` signed in. */
export const showsSignedIn = (r: SignedInReading, email: string): boolean =>
  r.kind === 'user' && sameEmail(r.email, email);

/** A one-line account of a reading, for a check's message. */
export const describeReading = (r: SignedInReading): string =>
  r.kind === 'user'
    ? `${r.email} is signed in (${r.evidence})`
    : r.kind === 'none'
      ? `nobody is signed in (${r.evidence})`
      : `who is signed in cannot be told: ${r.reason}`;

/** What a page's text or markup can hold around an email: no spaces, quotes, angle brackets. */
export const EMAIL_CAPTURE = `([^\\s<>"'(),;]+@[^\\s<>"'(),;]+)`;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };
/** Undoes HTML escaping of an attribute value. */
export const unescapeHtml = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ENTITIES[e]!);

/** The email a match of a pattern captured, without the sentence's full stop after it. */
export const capturedEmail = (m: RegExpExecArray | null): string | undefined => {
  const v = m?.groups?.email ?? m?.slice(1).find((g) => g !== undefined);
  return v?.replace(/\.+$/, '');
};
