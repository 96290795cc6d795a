import { parse as parseFilter, type Filter } from 'scim2-parse-filter';
import { ScimError } from './errors.js';
import { SCHEMAS, findAttr, topLevelAttributes, type AttrDef, type ResourceKind } from './schemas.js';

/**
 * An attribute path (RFC 7644 §3.5.2 "path", §3.10 fully qualified names) resolved against a
 * resource kind: which container it lives in (null for core attributes, else the extension
 * URN), the attribute, an optional value filter and an optional sub-attribute.
 */
export interface ResolvedPath {
  container: string | null;
  attr: AttrDef | undefined;
  filter?: Filter;
  sub?: AttrDef;
}

/** Definitions inside a container: top-level attributes for the core schema, else the extension's. */
export function attributesOf(kind: ResourceKind, container: string | null): AttrDef[] {
  return container === null ? topLevelAttributes(kind) : (SCHEMAS[container]?.attributes ?? []);
}

/** Splits a leading schema URN off a path, ignoring case: `urn:…:User:name.givenName` → core, `name.givenName`. */
export function splitUrn(kind: ResourceKind, path: string): { container: string | null; rest: string } {
  const lower = path.toLowerCase();
  for (const urn of [...kind.extensions, kind.core]) {
    const u = urn.toLowerCase();
    const container = urn === kind.core ? null : urn;
    if (lower === u) return { container, rest: '' };
    if (lower.startsWith(u + ':')) return { container, rest: path.slice(urn.length + 1) };
  }
  return { container: null, rest: path };
}

const PATH = /^([A-Za-z_$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z_$][\w$-]*))?$/s;

export function parseValueFilter(
  text: string,
  code: 'ERR_SCIM_INVALID_FILTER' | 'ERR_SCIM_INVALID_PATH',
): Filter {
  try {
    return parseFilter(text);
  } catch (e) {
    throw new ScimError(code, `${text}: ${(e as Error).message}`);
  }
}

/**
 * Resolves a path. `strict` (PATCH paths) refuses unknown attributes with invalidPath;
 * otherwise (attribute lists) an unknown attribute resolves to `attr: undefined`.
 */
export function resolvePath(kind: ResourceKind, path: string, strict = true): ResolvedPath {
  const { container, rest } = splitUrn(kind, path.trim());
  if (rest === '') {
    if (container === null) throw new ScimError('ERR_SCIM_INVALID_PATH', path);
    return { container, attr: undefined };
  }
  const m = PATH.exec(rest);
  if (!m) throw new ScimError('ERR_SCIM_INVALID_PATH', path);
  const [, name, filterText, subName] = m as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  const attr = findAttr(attributesOf(kind, container), name);
  if (!attr) {
    if (strict) throw new ScimError('ERR_SCIM_INVALID_PATH', `${path}: no attribute ${name}`);
    return { container, attr: undefined };
  }
  const out: ResolvedPath = { container, attr };
  if (filterText !== undefined) {
    if (!attr.multiValued)
      throw new ScimError('ERR_SCIM_INVALID_PATH', `${path}: ${attr.name} is single-valued`);
    out.filter = parseValueFilter(filterText, 'ERR_SCIM_INVALID_FILTER');
  }
  if (subName !== undefined) {
    const sub = findAttr(attr.subAttributes ?? [], subName);
    if (!sub) {
      if (strict) throw new ScimError('ERR_SCIM_INVALID_PATH', `${path}: ${attr.name} has no ${subName}`);
      return { container, attr: undefined };
    }
    out.sub = sub;
  }
  return out;
}
