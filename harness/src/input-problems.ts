import type { ErrorObject } from 'ajv';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { InputProblem } from './errors.js';

/**
 * Locating problems in YAML (or JSON) input files: every problem names the file, the 1-based
 * line and column, and the dotted key path (`sp.pages.home`, `steps[2].expect`).
 */
export interface LocatedDocument {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** Parses YAML (JSON is YAML); the problems are the parse errors, empty when it parsed. */
export function parseLocated(
  text: string,
  shownFile: string,
): { located: LocatedDocument; problems: InputProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return {
      file: shownFile,
      line: pos.line,
      column: pos.col,
      path: '(yaml)',
      message: e.message.split('\n')[0] ?? e.message,
    };
  });
  return { located: { file: shownFile, doc, lines }, problems };
}

function nodeAt(doc: Document, segments: readonly (string | number)[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const seg of segments) {
    if (isMap(node)) node = node.get(String(seg), true);
    else if (isSeq(node)) node = node.get(Number(seg), true);
    else return undefined;
  }
  return node as Node | undefined;
}

function keyNodeAt(doc: Document, segments: readonly (string | number)[], key: string): Node | undefined {
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

export const dottedPath = (segments: readonly (string | number)[]): string =>
  segments.reduce<string>(
    (acc, s) => (/^\d+$/.test(String(s)) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : String(s)),
    '',
  ) || '(root)';

/**
 * A problem at a key path. With `atKey`, the position is the key itself (an unknown key);
 * otherwise its value, or the nearest parent that exists (a missing key).
 */
export function problemAt(
  at: LocatedDocument,
  segments: readonly (string | number)[],
  message: string,
  atKey = false,
): InputProblem {
  let node: Node | undefined;
  if (atKey && segments.length) node = keyNodeAt(at.doc, segments.slice(0, -1), String(segments.at(-1)));
  for (let n = segments.length; !node && n >= 0; n--) node = nodeAt(at.doc, segments.slice(0, n));
  const pos = at.lines.linePos(node?.range?.[0] ?? 0);
  return { file: at.file, line: pos.line, column: pos.col, path: dottedPath(segments), message };
}

function describe(e: ErrorObject): { segments: string[]; message: string; atKey: boolean } {
  const segments = pointerSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        segments: [...segments, String(p.additionalProperty)],
        message: `unknown key "${String(p.additionalProperty)}"`,
        atKey: true,
      };
    case 'required':
      return { segments, message: `missing required key "${String(p.missingProperty)}"`, atKey: false };
    case 'enum':
      return {
        segments,
        message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        atKey: false,
      };
    case 'const':
      return { segments, message: `must be ${JSON.stringify(p.allowedValue)}`, atKey: false };
    case 'minProperties':
      return {
        segments,
        message: `is empty: give at least ${String(p.limit)} key${p.limit === 1 ? '' : 's'}`,
        atKey: false,
      };
    case 'minItems':
      return {
        segments,
        message: `is empty: list at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}`,
        atKey: false,
      };
    default:
      return { segments, message: e.message ?? 'is invalid', atKey: false };
  }
}

/** Drops errors that only restate a more precise one (anyOf/oneOf/if wrappers), and duplicates. */
function essential(errors: readonly ErrorObject[]): ErrorObject[] {
  const precise = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  // Of a oneOf/anyOf whose value has the right type for one branch, the other branches' "must be
  // <type>" say nothing: keep the problems of the branch the value took.
  const typed = precise.filter(
    (e) =>
      e.keyword !== 'type' ||
      !precise.some(
        (o) => o !== e && o.keyword !== 'type' && (o.instancePath + '/').startsWith(e.instancePath + '/'),
      ),
  );
  const base = typed.length ? typed : precise.length ? precise : [...errors];
  const seen = new Set<string>();
  return base.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Schema errors (ajv) as located problems, in file order. */
export function schemaProblems(at: LocatedDocument, errors: readonly ErrorObject[]): InputProblem[] {
  return essential(errors)
    .map((e) => {
      const d = describe(e);
      return problemAt(at, d.segments, d.message, d.atKey);
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
