/**
 * A zoo SP's expected results (targets/<sp>/expected.json): for every case, the verdict on each
 * IdP profile, and for every verdict other than `passed`, why. A zoo run fails when a verdict
 * differs, so a finding such as "samlify accepts a response for another audience" stays a
 * documented, reproducible fact rather than noise.
 *
 *   { "sp": "samlify", "cases": {
 *       "jit.sp-initiated": { "status": "passed" },
 *       "saml.reject.audience-mismatch": { "status": "failed", "reason": "… (SAML Core 2.5.1.4)" },
 *       "auth.slo-idp-initiated": { "status": { "okta": "failed", "onelogin": "failed",
 *                                               "entra": "failed", "google": "not-applicable" },
 *                                   "reason": "…" } } }
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { NO_IDP, type CaseResult, type Status } from '../../harness/src/model.js';

export const IDPS = ['okta', 'onelogin', 'entra', 'google'] as const;
type Idp = (typeof IDPS)[number];
const STATUSES: readonly Status[] = ['passed', 'failed', 'skipped', 'error', 'not-applicable'];

export interface ExpectedCase {
  /** One verdict for all four IdP profiles (or for an IdP-independent case's one run), or one for each profile the case runs on. */
  status: Status | Partial<Record<Idp, Status>>;
  /** Why, for any verdict other than passed: the library's behaviour and the spec it meets or breaks. */
  reason?: string;
}

export interface Expected {
  sp: string;
  cases: Record<string, ExpectedCase>;
}

export class ExpectedFileError extends Error {
  readonly code = 'ERR_ZOO_EXPECTED';
}

const isStatus = (s: unknown): s is Status => STATUSES.includes(s as Status);

/** Reads and checks an expected.json; every problem is named with the case it is in. */
export function loadExpected(file: string): Expected {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ExpectedFileError(`${file}: ${(e as Error).message}`);
  }
  const v = value as Partial<Expected>;
  if (!v || typeof v.sp !== 'string' || typeof v.cases !== 'object' || v.cases === null)
    throw new ExpectedFileError(`${file}: needs "sp" (a name) and "cases" (an object)`);
  const problems: string[] = [];
  for (const [id, c] of Object.entries(v.cases)) {
    const map =
      typeof c.status === 'object' && c.status !== null ? (c.status as Record<string, unknown>) : {};
    const statuses = typeof c.status === 'string' ? [c.status] : Object.values(map);
    const unknownIdp = Object.keys(map).find((k) => !(IDPS as readonly string[]).includes(k));
    if (statuses.length === 0 || !statuses.every(isStatus) || unknownIdp)
      problems.push(
        `cases.${id}.status: a verdict (${STATUSES.join(', ')}), or one for each IdP profile (${IDPS.join(', ')}) the case runs on`,
      );
    else if (statuses.some((s) => s !== 'passed') && !c.reason?.trim())
      problems.push(`cases.${id}.reason: a verdict other than passed needs a reason`);
  }
  if (problems.length) throw new ExpectedFileError(`${file}: ${problems.join('; ')}`);
  return v as Expected;
}

/** The verdict expected on one IdP profile; 'absent' when the case does not run there. */
export const expectedStatus = (c: ExpectedCase, idp: string): Status | 'absent' =>
  typeof c.status === 'string' ? c.status : (c.status[idp as Idp] ?? 'absent');

export interface Difference {
  case: string;
  idp: string;
  expected: Status | 'absent';
  actual: Status | 'absent';
  /** The harness's message for the actual result, to start the investigation from. */
  message?: string;
}

/**
 * Every cell where the run and the expected results disagree: a different verdict, a case the
 * run had and the file does not (a new scenario), or one the file has and the run did not.
 */
export function compare(
  expected: Expected,
  results: readonly CaseResult[],
  idps: readonly string[],
): Difference[] {
  const diffs: Difference[] = [];
  const seen = new Set<string>();
  const independent = new Set(results.filter((r) => r.idp === NO_IDP).map((r) => r.case));
  for (const r of results) {
    seen.add(`${r.case}|${r.idp}`);
    const e = expected.cases[r.case];
    const want = e ? expectedStatus(e, r.idp) : 'absent';
    if (want !== r.status)
      diffs.push({
        case: r.case,
        idp: r.idp,
        expected: want,
        actual: r.status,
        ...(r.message ? { message: r.message } : {}),
      });
  }
  for (const [id, c] of Object.entries(expected.cases))
    for (const idp of independent.has(id) ? [NO_IDP] : idps) {
      const want = expectedStatus(c, idp);
      if (want !== 'absent' && !seen.has(`${id}|${idp}`))
        diffs.push({ case: id, idp, expected: want, actual: 'absent' });
    }
  return diffs.sort(
    (a, b) => a.case.localeCompare(b.case) || IDPS.indexOf(a.idp as Idp) - IDPS.indexOf(b.idp as Idp),
  );
}

/**
 * The expected results a run gives, keeping the reasons already written for failures whose
 * verdicts did not change; a new failure takes the harness's message as its first reason, to be
 * rewritten by hand with the library's behaviour and the spec reference. A case that is only
 * not applicable takes the harness's reason of this run.
 */
export function fromResults(sp: string, results: readonly CaseResult[], previous?: Expected): Expected {
  const byCase = new Map<string, CaseResult[]>();
  for (const r of results) byCase.set(r.case, [...(byCase.get(r.case) ?? []), r]);
  const cases: Record<string, ExpectedCase> = {};
  for (const [id, rs] of [...byCase].sort(([a], [b]) => a.localeCompare(b))) {
    const per: Partial<Record<Idp, Status>> = {};
    for (const i of IDPS) {
      const r = rs.find((x) => x.idp === i);
      if (r) per[i] = r.status;
    }
    const alone = rs.find((x) => x.idp === NO_IDP);
    const values = alone ? [alone.status] : Object.values(per);
    const status = alone
      ? alone.status
      : values.length === IDPS.length && values.every((s) => s === values[0])
        ? values[0]!
        : per;
    const old = previous?.cases[id];
    const same = old && JSON.stringify(old.status) === JSON.stringify(status);
    // A not-applicable verdict's reason is the harness's own, always the current one; a written
    // reason (for a failure) is kept while the verdict stays.
    const written = values.some((s) => s !== 'passed' && s !== 'not-applicable');
    const reason = values.every((s) => s === 'passed')
      ? undefined
      : written && same && old.reason
        ? old.reason
        : (rs.find((r) => r.status !== 'passed')?.message ?? '');
    cases[id] = { status, ...(reason !== undefined ? { reason } : {}) };
  }
  return { sp, cases };
}

/** The cases in case-ID order, as expected.json keeps them. */
export const sortedCases = (cases: Record<string, ExpectedCase>): Record<string, ExpectedCase> =>
  Object.fromEntries(Object.entries(cases).sort(([a], [b]) => a.localeCompare(b)));

export function writeExpected(file: string, expected: Expected): void {
  writeFileSync(file, JSON.stringify(expected, null, 2) + '\n');
}
