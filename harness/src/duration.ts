import { HarnessError } from './errors.js';

/**
 * Durations as scenarios and the CLI write them: a number and a unit, `1500ms`, `30s`, `31m`,
 * `2h`, `1d`. The same grammar is the `advance` pattern of scenarios/scenario.schema.json.
 */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration such as `30s`, or null when the text is not one. */
export function parseDuration(text: string): number | null {
  const m = DURATION_PATTERN.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : null;
}

export const DURATION_EXAMPLES = '500ms, 30s, 31m, 2h';

/** Milliseconds of a scenario's duration (`31m`, `2h`); the schema has already checked its form. */
export function scenarioDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms === null)
    throw new HarnessError(
      'ERR_SCENARIO_INVALID',
      `"${text}" is not a duration such as ${DURATION_EXAMPLES}`,
    );
  return ms;
}
