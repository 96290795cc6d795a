import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { InputError, HarnessError, type InputProblem } from '../errors.js';
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

function nodeAt(doc: Document, segments: (string | number)[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const seg of segments) {
    if (isMap(node)) node = node.get(String(seg), true);
    else if (isSeq(node)) node = node.get(Number(seg), true);
    else return undefined;
  }
  return node as Node | undefined;
}

function keyNodeAt(doc: Document, segments: (string | number)[], key: string): Node | undefined {
  const parent = nodeAt(doc, segments);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
  return (pair?.key as Node | undefined) ?? undefined;
}

const pointerSegments = (pointer: string): string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

const dotted = (segments: (string | number)[]): string =>
  segments.reduce<string>(
    (acc, s) => (/^\d+$/.test(String(s)) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : String(s)),
    '',
  ) || '(root)';

function describe(e: ErrorObject): { segments: string[]; message: string; key?: string } {
  const segments = pointerSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        segments: [...segments, String(p.additionalProperty)],
        message: `unknown key "${String(p.additionalProperty)}"`,
        key: String(p.additionalProperty),
      };
    case 'required':
      return { segments, message: `missing required key "${String(p.missingProperty)}"` };
    case 'enum':
      return {
        segments,
        message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { segments, message: e.message ?? 'is invalid' };
  }
}

/** Drops errors that only restate a more precise one (anyOf/oneOf wrappers). */
function essential(errors: ErrorObject[]): ErrorObject[] {
  const precise = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const base = precise.length ? precise : errors;
  const seen = new Set<string>();
  return base.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Parses a YAML file and validates it with a compiled JSON Schema, pointing every problem at
 * its file, line, column and key path.
 */
export function readValidatedYaml<T>(text: string, file: string, check: ValidateFunction<T>): T {
  const shown = displayPath(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new InputError(
      'ERR_SCENARIO_YAML',
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return {
          file: shown,
          line: pos.line,
          column: pos.col,
          path: '(yaml)',
          message: e.message.split('\n')[0] ?? e.message,
        };
      }),
    );
  }
  const value: unknown = doc.toJS();
  if (!check(value)) {
    const problems: InputProblem[] = essential(check.errors ?? []).map((e) => {
      const d = describe(e);
      const parentSegs = d.key ? d.segments.slice(0, -1) : d.segments;
      const node = d.key ? keyNodeAt(doc, parentSegs, d.key) : nodeAt(doc, d.segments);
      const offset = node?.range?.[0] ?? 0;
      const pos = lines.linePos(offset);
      return { file: shown, line: pos.line, column: pos.col, path: dotted(d.segments), message: d.message };
    });
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new InputError('ERR_SCENARIO_INVALID', problems);
  }
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
