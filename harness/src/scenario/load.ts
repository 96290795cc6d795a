import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { InputError, HarnessError, type InputProblem } from '../errors.js';
import { parseLocated, schemaProblems } from '../input-problems.js';
import { CATALOGUE_FILE, SCENARIO_SCHEMA, displayPath } from '../paths.js';
import type { LoadedScenario, Scenario } from './types.js';

export const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<Scenario>(JSON.parse(readFileSync(SCENARIO_SCHEMA, 'utf8')) as object);

/** Every *.yaml / *.yml file under the given paths (files are taken as they are), sorted. */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new HarnessError('ERR_NO_SCENARIOS', `no such file or directory: ${p}`);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (!name.startsWith('.')) walk(join(p, name));
    } else if (/\.ya?ml$/.test(p) && resolve(p) !== CATALOGUE_FILE) out.add(resolve(p));
  };
  for (const p of paths) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile()) out.add(resolve(p));
    else walk(p);
  }
  return [...out].sort();
}

/**
 * Parses a YAML file and validates it with a compiled JSON Schema, pointing every problem at
 * its file, line, column and key path.
 */
export function readValidatedYaml<T>(text: string, file: string, check: ValidateFunction<T>): T {
  const { located, problems } = parseLocated(text, displayPath(file));
  if (problems.length) throw new InputError('ERR_SCENARIO_YAML', problems);
  const value: unknown = located.doc.toJS();
  if (!check(value))
    throw new InputError('ERR_SCENARIO_INVALID', schemaProblems(located, check.errors ?? []));
  return value;
}

/** Parses and validates one scenario file, pointing every problem at its file, line and key path. */
export function loadScenarioText(text: string, file: string): LoadedScenario {
  const scenario = readValidatedYaml(text, file, validate);
  if (scenario.idpIndependent) {
    const clash = (['idps', 'notApplicable'] as const).find((k) => scenario[k] !== undefined);
    if (clash) {
      const at = text.split('\n').findIndex((l) => l.startsWith(`${clash}:`));
      throw new InputError('ERR_SCENARIO_INVALID', [
        {
          file: displayPath(file),
          line: at + 1,
          column: 1,
          path: clash,
          message: `an idpIndependent case runs once, with no IdP: it takes no ${clash}`,
        },
      ]);
    }
  }
  return { file: displayPath(file), scenario };
}

export function loadScenarioFile(file: string): LoadedScenario {
  return loadScenarioText(readFileSync(file, 'utf8'), file);
}

/** Loads every scenario under `paths`; all problems in all files are reported together. */
export function loadScenarios(paths: readonly string[]): LoadedScenario[] {
  const files = findScenarioFiles(paths);
  if (files.length === 0)
    throw new HarnessError('ERR_NO_SCENARIOS', `no scenario files under ${paths.join(', ')}`);
  const loaded: LoadedScenario[] = [];
  const problems: InputProblem[] = [];
  let code: 'ERR_SCENARIO_YAML' | 'ERR_SCENARIO_INVALID' = 'ERR_SCENARIO_INVALID';
  const seenCases = new Map<string, string>();
  for (const f of files) {
    try {
      const l = loadScenarioFile(f);
      const other = seenCases.get(l.scenario.case);
      if (other) {
        problems.push({
          file: l.file,
          line: 1,
          column: 1,
          path: 'case',
          message: `case ${l.scenario.case} is also defined in ${other}`,
        });
      }
      seenCases.set(l.scenario.case, l.file);
      loaded.push(l);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      if (e.code === 'ERR_SCENARIO_YAML') code = 'ERR_SCENARIO_YAML';
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new InputError(code, problems);
  return loaded;
}
