import { availableProfiles } from '../../../mock-idp/src/profiles/index.js';
import { HarnessError } from '../errors.js';
import { NO_IDP } from '../model.js';
import { ALL_IDPS, type DriverId, type IdpId, type LoadedScenario } from '../scenario/types.js';

/** The mock IdP profile an IdP-independent case's run sets its tenant up with. */
export const INDEPENDENT_RUN_PROFILE: IdpId = 'okta';

/** One cell of the matrix: a case against one IdP profile with one driver. */
export interface PlannedRun {
  key: string;
  loaded: LoadedScenario;
  idp: IdpId;
  driver: DriverId;
  variant: Record<string, string>;
  /** Set when the run is decided without running: not applicable or skipped, with why. */
  verdict?: { status: 'not-applicable' | 'skipped'; reason: string };
}

export interface PlanOptions {
  idps: readonly IdpId[];
  driver: DriverId;
  grep?: RegExp;
  grepInvert?: RegExp;
  shard?: { current: number; total: number };
}

/**
 * What --grep is tried on for one run: the case ID alone, the title alone, and
 * "<case> <title> [<idp>]". A run matches when any of them does, so `^jit\.new-user$` selects
 * that case and `\[okta\]` selects a profile.
 */
export function grepTexts(caseId: string, titles: readonly string[], idp?: string): string[] {
  return [caseId, ...titles, `${caseId} ${titles.join(' ')}${idp ? ` [${idp}]` : ''}`];
}

export const grepMatches = (re: RegExp, texts: readonly string[]): boolean =>
  texts.some((t) => {
    re.lastIndex = 0;
    return re.test(t);
  });

export function parseShard(value: string): { current: number; total: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const current = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || current < 1 || current > total) {
    throw new HarnessError('ERR_BAD_OPTION', `--shard takes i/n with 1 ≤ i ≤ n, got "${value}"`);
  }
  return { current, total };
}

/**
 * Expands scenarios over IdP profiles in a fixed order (scenario file, then okta, onelogin,
 * entra, google), filters by --grep, and keeps this shard's share. Sharding deals the
 * expanded list round-robin, so every run lands in exactly one shard whatever the split.
 */
export function plan(scenarios: readonly LoadedScenario[], opts: PlanOptions): PlannedRun[] {
  const available = new Set<string>(availableProfiles());
  const runs: PlannedRun[] = [];
  for (const loaded of scenarios) {
    const s = loaded.scenario;
    if (s.idpIndependent) {
      // Talks to the SP alone: one run whatever --idp lists, its tenant set up on a profile that
      // provisions over SCIM.
      const run: PlannedRun = {
        key: `${s.case}|${NO_IDP}|${opts.driver}`,
        loaded,
        idp: INDEPENDENT_RUN_PROFILE,
        driver: opts.driver,
        variant: {},
      };
      if (s.drivers && !s.drivers.includes(opts.driver))
        run.verdict = {
          status: 'not-applicable',
          reason: `the case does not run with the ${opts.driver} driver`,
        };
      runs.push(run);
      continue;
    }
    const wanted = s.idps ?? ALL_IDPS;
    for (const idp of ALL_IDPS) {
      if (!opts.idps.includes(idp) || !wanted.includes(idp)) continue;
      const run: PlannedRun = {
        key: `${s.case}|${idp}|${opts.driver}`,
        loaded,
        idp,
        driver: opts.driver,
        variant: {},
      };
      const na = s.notApplicable?.[idp];
      if (na) run.verdict = { status: 'not-applicable', reason: na };
      else if (!available.has(idp))
        run.verdict = { status: 'not-applicable', reason: `mock-idp has no ${idp} profile` };
      else if (s.drivers && !s.drivers.includes(opts.driver)) {
        run.verdict = {
          status: 'not-applicable',
          reason: `the case does not run with the ${opts.driver} driver`,
        };
      }
      runs.push(run);
    }
  }
  const matched = runs.filter((r) => {
    const s = r.loaded.scenario;
    const texts = grepTexts(s.case, [s.title], s.idpIndependent ? NO_IDP : r.idp);
    return (
      (!opts.grep || grepMatches(opts.grep, texts)) &&
      (!opts.grepInvert || !grepMatches(opts.grepInvert, texts))
    );
  });
  if (!opts.shard) return matched;
  const { current, total } = opts.shard;
  return matched.filter((_, i) => i % total === current - 1);
}
