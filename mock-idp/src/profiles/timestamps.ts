/** ISO-8601 instants as vendors write them. */
export const isoMillis = (d: Date): string => d.toISOString();
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
export const plusMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
export const MINUTE = 60_000;
