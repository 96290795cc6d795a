import { NO_IDP, emptyEvidence, type CaseResult } from '../model.js';
import type { PlannedRun } from './plan.js';

/** The identifying part of a run's result, taken from its plan. */
export function baseResult(run: PlannedRun): Omit<CaseResult, 'status' | 'durationMs' | 'steps'> {
  const s = run.loaded.scenario;
  return {
    case: s.case,
    title: s.title,
    scenario: run.loaded.file,
    idp: run.loaded.scenario.idpIndependent ? NO_IDP : run.idp,
    driver: run.driver,
    variant: run.variant,
    requirements: s.requirements,
    observer: 'none',
  };
}

/** A result for a run that never reported one: the worker crashed or the run timed out. */
export function errorResult(run: PlannedRun, code: string, message: string, durationMs: number): CaseResult {
  return {
    ...baseResult(run),
    status: 'error',
    durationMs,
    steps: [{ name: 'run the case', status: 'error', durationMs, evidence: emptyEvidence(), message, code }],
    message: `${code}: ${message}`,
  };
}

/** The key a result is known by across shards and reruns: case|idp|driver|variant. */
export function resultKey(r: Pick<CaseResult, 'case' | 'idp' | 'driver' | 'variant'>): string {
  const variant = Object.entries(r.variant)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${r.case}|${r.idp}|${r.driver}|${variant}`;
}
