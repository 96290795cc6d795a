/** One measured figure (bench/README.md), as written to reports/bench.json. */
export interface Figure {
  value: number;
  goal: number;
  unit: string;
  /** Whether `value` must be at least (`>=`) or at most (`<=`) the goal. */
  direction: '>=' | '<=';
  /** Supporting measurements: raw rates, percentiles, sizes. */
  details?: Record<string, unknown>;
  /** The commit the figure was measured on, and whether the work tree had changes beyond it (set by run.ts). */
  commit?: string;
  uncommittedChanges?: boolean;
  /** When it was measured, ISO 8601 (set by run.ts). */
  measuredAt?: string;
}

/** A bench module (bench/*.bench.ts) exports `figures`: the IDs it measures and how. */
export type BenchModule = { figures: Record<string, () => Promise<Figure>> };

export const meets = (f: Figure): boolean => (f.direction === '>=' ? f.value >= f.goal : f.value <= f.goal);
