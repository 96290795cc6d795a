/** ISO-8601 instants as vendors write them. */
export const isoMillis = (d: Date): string => d.toISOString();
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Whole seconds written with a `.000Z` fraction (Google's AuthnInstant). */
export const isoZeroMillis = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '.000Z');
export const plusMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
