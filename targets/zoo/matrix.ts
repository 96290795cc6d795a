/**
 * The zoo matrix: for each SP and each case group (jit, auth, multiws, scim, saml.reject), how
 * many verdicts passed (on the SP's state, or on its pages alone), failed, were not applicable or
 * broke the harness. `npm run zoo -- --matrix` prints it after a run;
 * `node --import tsx targets/zoo/matrix.ts [reports/zoo]` prints it from the reports a run left.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseResult } from '../../harness/src/model.js';
import { ZOO } from './sps.js';

export const GROUPS = ['jit', 'auth', 'multiws', 'scim', 'saml.reject'] as const;

/** A case's group: the longest group its ID starts with; `other` when none does. */
export const groupOf = (caseId: string): string =>
  [...GROUPS].sort((a, b) => b.length - a.length).find((g) => caseId.startsWith(`${g}.`)) ?? 'other';

export interface Cell {
  /** Passed, with a check on the SP's state read by an observer. */
  passedState: number;
  /** Passed on what the SP's pages and messages showed alone (no observer read its state). */
  passedPage: number;
  failed: number;
  notApplicable: number;
  error: number;
}

const emptyCell = (): Cell => ({ passedState: 0, passedPage: 0, failed: 0, notApplicable: 0, error: 0 });

/** Cells per case group for one SP's results (one verdict per case × IdP). */
export function cellsOf(results: readonly CaseResult[]): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  for (const r of results) {
    const c = (cells[groupOf(r.case)] ??= emptyCell());
    if (r.status === 'passed') {
      if (r.observer && r.observer !== 'none') c.passedState++;
      else c.passedPage++;
    } else if (r.status === 'failed') c.failed++;
    else if (r.status === 'not-applicable') c.notApplicable++;
    else if (r.status === 'error') c.error++;
  }
  return cells;
}

export const formatCell = (c: Cell | undefined): string => {
  if (!c) return '-';
  const parts = [
    `${c.passedState + c.passedPage} passed (${c.passedState} state / ${c.passedPage} page)`,
    `${c.failed} failed`,
    `${c.notApplicable} n/a`,
  ];
  if (c.error) parts.push(`${c.error} error`);
  return parts.join(', ');
};

/** A Markdown table: one row per SP, one column per case group present in any run. */
export function formatMatrix(bySp: ReadonlyArray<{ sp: string; results: readonly CaseResult[] }>): string {
  const cells = bySp.map((x) => ({ sp: x.sp, cells: cellsOf(x.results) }));
  const groups = [...GROUPS, 'other'].filter((g) => cells.some((x) => x.cells[g]));
  const lines = [
    `| SP | ${groups.join(' | ')} |`,
    `|---|${groups.map(() => '---').join('|')}|`,
    ...cells.map((x) => `| ${x.sp} | ${groups.map((g) => formatCell(x.cells[g])).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** The matrix from the reports a zoo run wrote (reports/zoo/<sp>.json), for the SPs that have one. */
export function matrixFromReports(dir: string): string {
  const bySp = ZOO.map((sp) => join(dir, `${sp.name}.json`))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { target: string; results: CaseResult[] })
    .map((r) => ({ sp: r.target, results: r.results }));
  return formatMatrix(bySp);
}

if (import.meta.filename === process.argv[1]) {
  console.log(
    matrixFromReports(resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', 'reports', 'zoo'))),
  );
}
