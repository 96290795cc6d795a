import type { Filter } from 'scim2-parse-filter';
import { ScimError } from './errors.js';
import { attributesOf, parseValueFilter, splitUrn } from './paths.js';
import { findAttr, type AttrDef, type ResourceKind } from './schemas.js';
import { isObject, type Json, type JsonObject } from './values.js';

/**
 * Filtering (RFC 7644 §3.4.2.2). The grammar — operators, `and`/`or`/`not`, grouping and
 * `[ ]` value filters, with the RFC's precedence — is parsed by scim2-parse-filter; matching
 * is this module's, because it must follow the schema: attribute names ignore case, strings
 * compare case-insensitively unless the attribute is caseExact, a multi-valued attribute
 * matches when any value does, a complex attribute without a sub-attribute compares its
 * `value`, and ordering operators on booleans are an invalid filter.
 */
export function parseQueryFilter(text: string): Filter {
  if (text.length > 4096) throw new ScimError('ERR_SCIM_INVALID_FILTER', 'longer than 4096 characters');
  return parseValueFilter(text, 'ERR_SCIM_INVALID_FILTER');
}

interface Leaf {
  def: AttrDef;
  values: Json[];
}

/** Values at `attrPath` (e.g. `name.familyName`, `emails.value`, `urn:…:WorkatoRole:workato_role`) of `node`. */
function leafValues(kind: ResourceKind, node: JsonObject, attrPath: string, scope: AttrDef | null): Leaf {
  let container: string | null = null;
  let rest = attrPath;
  let defs: AttrDef[];
  let base: JsonObject = node;
  if (scope) {
    defs = scope.subAttributes ?? [];
  } else {
    ({ container, rest } = splitUrn(kind, attrPath));
    defs = attributesOf(kind, container);
    if (container !== null) base = (pick(node, container) as JsonObject | undefined) ?? {};
  }
  const [name, subName, ...more] = rest.split('.');
  const def = name ? findAttr(defs, name) : undefined;
  if (!def || more.length) throw new ScimError('ERR_SCIM_INVALID_FILTER', `unknown attribute ${attrPath}`);
  const raw = pick(base, def.name);
  const items: Json[] = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  if (subName !== undefined) {
    const sub = findAttr(def.subAttributes ?? [], subName);
    if (!sub) throw new ScimError('ERR_SCIM_INVALID_FILTER', `unknown attribute ${attrPath}`);
    return {
      def: sub,
      values: items.map((x) => (isObject(x) ? pick(x, sub.name) : undefined)).filter(present),
    };
  }
  if (def.type === 'complex') {
    const valueDef = findAttr(def.subAttributes ?? [], 'value');
    if (valueDef && def.multiValued)
      return { def: valueDef, values: items.map((x) => (isObject(x) ? x.value : undefined)).filter(present) };
    return { def, values: items.filter(present) };
  }
  return { def, values: items };
}

const present = (v: Json | undefined): v is Json => v !== undefined && v !== null && v !== '';

function pick(o: JsonObject, key: string): Json | undefined {
  if (key in o) return o[key];
  const l = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === l) return o[k];
  return undefined;
}

function compare(def: AttrDef, op: string, actual: Json, expected: unknown): boolean {
  if (def.type === 'boolean' || typeof expected === 'boolean') {
    if (op !== 'eq' && op !== 'ne')
      throw new ScimError('ERR_SCIM_INVALID_FILTER', `${op} is not defined for boolean ${def.name}`);
    const a = typeof actual === 'string' ? actual.toLowerCase() === 'true' : actual === true;
    return op === 'eq' ? a === expected : a !== expected;
  }
  if (def.type === 'dateTime' && typeof actual === 'string' && typeof expected === 'string') {
    const a = Date.parse(actual);
    const b = Date.parse(expected);
    if (Number.isNaN(b)) throw new ScimError('ERR_SCIM_INVALID_FILTER', `${expected} is not a dateTime`);
    return ordered(op, a, b) ?? stringOp(op, actual, expected);
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    return (
      ordered(op, actual, expected) ??
      (op === 'eq' ? actual === expected : op === 'ne' && actual !== expected)
    );
  }
  if (typeof expected !== 'string' && typeof expected !== 'number') return false;
  const fold = (x: string) => (def.caseExact ? x : x.toLowerCase());
  return stringOp(op, fold(String(actual)), fold(String(expected)));
}

function ordered(op: string, a: number, b: number): boolean | undefined {
  if (op === 'gt') return a > b;
  if (op === 'ge') return a >= b;
  if (op === 'lt') return a < b;
  if (op === 'le') return a <= b;
  return undefined;
}

function stringOp(op: string, a: string, b: string): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      throw new ScimError('ERR_SCIM_INVALID_FILTER', `unknown operator ${op}`);
  }
}

/** Whether `node` (a resource, or an element of a multi-valued attribute when `scope` is set) matches. */
export function matches(
  kind: ResourceKind,
  f: Filter,
  node: JsonObject,
  scope: AttrDef | null = null,
): boolean {
  const op = f.op.toLowerCase();
  if (op === 'and') return (f as { filters: Filter[] }).filters.every((x) => matches(kind, x, node, scope));
  if (op === 'or') return (f as { filters: Filter[] }).filters.some((x) => matches(kind, x, node, scope));
  if (op === 'not') return !matches(kind, (f as { filter: Filter }).filter, node, scope);
  if (op === '[]') {
    const { attrPath, valFilter } = f as { attrPath: string; valFilter: Filter };
    const { container, rest } = scope ? { container: null, rest: attrPath } : splitUrn(kind, attrPath);
    const def = findAttr(scope ? (scope.subAttributes ?? []) : attributesOf(kind, container), rest);
    if (!def || def.type !== 'complex')
      throw new ScimError('ERR_SCIM_INVALID_FILTER', `${attrPath} is not a complex attribute`);
    const base = container ? ((pick(node, container) as JsonObject | undefined) ?? {}) : node;
    const raw = pick(base, def.name);
    const items = Array.isArray(raw) ? raw : raw ? [raw] : [];
    return items.some((x) => isObject(x) && matches(kind, valFilter, x, def));
  }
  const { attrPath, compValue } = f as { attrPath: string; compValue?: unknown };
  const leaf = leafValues(kind, node, attrPath, scope);
  if (op === 'pr') return leaf.values.some(present);
  if (compValue === null) return op === 'eq' ? !leaf.values.some(present) : leaf.values.some(present);
  if (op === 'ne') return !leaf.values.some((v) => compare(leaf.def, 'eq', v, compValue));
  return leaf.values.some((v) => compare(leaf.def, op, v, compValue));
}

/** For SQL pushdown: the value of a top-level `attr eq "…"` (alone or inside an `and`), if any. */
export function equalityOn(f: Filter, attr: string): string | undefined {
  const op = f.op.toLowerCase();
  if (op === 'eq') {
    const { attrPath, compValue } = f as { attrPath: string; compValue: unknown };
    const name = attrPath.toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, '');
    return name === attr.toLowerCase() && typeof compValue === 'string' ? compValue : undefined;
  }
  if (op === 'and') {
    for (const x of (f as { filters: Filter[] }).filters) {
      const v = equalityOn(x, attr);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}
