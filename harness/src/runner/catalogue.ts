import { readFileSync } from 'node:fs';
import { CATALOGUE_FILE, CATALOGUE_SCHEMA } from '../paths.js';
import { ajv, readValidatedYaml } from '../scenario/load.js';
import { ALL_IDPS, type IdpId, type LoadedScenario } from '../scenario/types.js';

/**
 * The case catalogue (scenarios/catalogue.yaml): every case ID the bundled suite must cover, by
 * group, which `list` shows, counts and reports missing. A group with a `family` is open: any
 * scenario under the prefix belongs to it, and `cases` names the minimum it must contain (matched
 * as an ID prefix, so `saml.reject.xsw` is covered by `saml.reject.xsw-1`, `saml.reject.xsw-comment`, …).
 */
export interface CatalogueGroup {
  group: string;
  cases: string[];
  /** An open family: every case ID with this prefix belongs to the group. */
  family?: string;
}

const validateCatalogue = ajv.compile<{ groups: CatalogueGroup[] }>(
  JSON.parse(readFileSync(CATALOGUE_SCHEMA, 'utf8')) as object,
);

/** Reads and checks a catalogue file; problems come back with file, line and key path. */
export function loadCatalogue(file: string = CATALOGUE_FILE): CatalogueGroup[] {
  return readValidatedYaml(readFileSync(file, 'utf8'), file, validateCatalogue).groups;
}

export interface CatalogueRow {
  group: string;
  /** The catalogue ID (or, for family members found on disk, the scenario's case ID). */
  id: string;
  /** Scenario files implementing it (empty: missing). */
  scenarios: LoadedScenario[];
  inCatalogue: boolean;
}

/** Whether a scenario's case implements a catalogue entry: the same ID, or, in a family, the entry as prefix. */
function implementsEntry(caseId: string, entry: string, family: boolean): boolean {
  if (caseId === entry) return true;
  return family && (caseId.startsWith(entry + '-') || caseId.startsWith(entry + '.'));
}

/**
 * Lines the catalogue up with the scenarios on disk: each catalogue case with the files
 * implementing it (none: the gap is visible), then family members and other cases the
 * catalogue does not name.
 */
export function catalogueRows(
  scenarios: readonly LoadedScenario[],
  catalogue: readonly CatalogueGroup[] = loadCatalogue(),
): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  const used = new Set<LoadedScenario>();
  for (const g of catalogue) {
    for (const id of g.cases) {
      const impl = scenarios.filter((l) => implementsEntry(l.scenario.case, id, Boolean(g.family)));
      impl.forEach((l) => used.add(l));
      rows.push({ group: g.group, id, scenarios: impl, inCatalogue: true });
    }
    const extra = g.family
      ? scenarios.filter((l) => !used.has(l) && l.scenario.case.startsWith(g.family!))
      : [];
    for (const l of extra) {
      used.add(l);
      rows.push({ group: g.group, id: l.scenario.case, scenarios: [l], inCatalogue: false });
    }
    if (g.family && g.cases.length === 0 && extra.length === 0)
      rows.push({ group: g.group, id: `${g.family}*`, scenarios: [], inCatalogue: true });
  }
  for (const l of scenarios.filter((x) => !used.has(x)))
    rows.push({ group: 'Other', id: l.scenario.case, scenarios: [l], inCatalogue: false });
  return rows;
}

export const IDPS: readonly IdpId[] = ALL_IDPS;
