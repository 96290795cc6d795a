import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json, scenarios/ and fixtures/ live). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCENARIOS_DIR = join(PROJECT_ROOT, 'scenarios');
export const FIXTURES_DIR = join(PROJECT_ROOT, 'fixtures');
export const SCENARIO_SCHEMA = join(SCENARIOS_DIR, 'scenario.schema.json');
/** The case catalogue `list` lines the scenarios up with; not a scenario itself. */
export const CATALOGUE_FILE = join(SCENARIOS_DIR, 'catalogue.yaml');
export const CATALOGUE_SCHEMA = join(SCENARIOS_DIR, 'catalogue.schema.json');

/** A path as reports show it: relative to the current directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel.split('\\').join('/') : file;
}
