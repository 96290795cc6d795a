import { ScimError } from './errors.js';
import { matches } from './filter.js';
import { resolvePath } from './paths.js';
import type { ResourceKind } from './schemas.js';
import { isObject, type Json, type JsonObject } from './values.js';

/** Splits the comma-separated `attributes` / `excludedAttributes` parameter, keeping `[…]` filters whole. */
export function attributeList(param: unknown): string[] | undefined {
  if (param === undefined) return undefined;
  if (typeof param !== 'string') throw new ScimError('ERR_SCIM_SYNTAX', 'attributes must be given once');
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of param) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out.filter(Boolean);
}

/**
 * Applies `attributes` or `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) to a rendered resource.
 * `id` and `schemas` are returned always; unknown names are ignored.
 */
export function project(
  kind: ResourceKind,
  resource: JsonObject,
  attributes: string[] | undefined,
  excluded: string[] | undefined,
): JsonObject {
  if (attributes?.length) {
    const out: JsonObject = { schemas: resource.schemas ?? [], id: resource.id ?? null };
    for (const a of attributes) copyPath(kind, resource, out, a);
    return out;
  }
  if (excluded?.length) {
    const out = structuredClone(resource);
    for (const a of excluded) dropPath(kind, out, a);
    return out;
  }
  return resource;
}

function copyPath(kind: ResourceKind, from: JsonObject, to: JsonObject, path: string): void {
  const p = resolvePath(kind, path, false);
  if (!p.attr) {
    if (p.container && from[p.container] !== undefined) to[p.container] = structuredClone(from[p.container]!);
    return;
  }
  const src = p.container === null ? from : (from[p.container] as JsonObject | undefined);
  if (!isObject(src)) return;
  let value: Json | undefined = src[p.attr.name];
  if (value === undefined) return;
  if (p.filter && Array.isArray(value))
    value = value.filter((x) => isObject(x) && matches(kind, p.filter!, x, p.attr!));
  if (p.sub) {
    const subName = p.sub.name;
    value = Array.isArray(value)
      ? value.map((x) => (isObject(x) && x[subName] !== undefined ? { [subName]: x[subName]! } : {}))
      : isObject(value) && value[subName] !== undefined
        ? mergeInto(to, p.container, p.attr.name, { [subName]: value[subName]! })
        : undefined;
    if (value === undefined || !Array.isArray(value)) return;
  }
  const dst =
    p.container === null ? to : ((to[p.container] as JsonObject | undefined) ?? (to[p.container] = {}));
  (dst as JsonObject)[p.attr.name] = structuredClone(value);
}

function mergeInto(to: JsonObject, container: string | null, name: string, part: JsonObject): undefined {
  const dst = container === null ? to : ((to[container] as JsonObject | undefined) ?? (to[container] = {}));
  const cur = (dst as JsonObject)[name];
  (dst as JsonObject)[name] = isObject(cur) ? { ...cur, ...part } : part;
  return undefined;
}

function dropPath(kind: ResourceKind, res: JsonObject, path: string): void {
  const p = resolvePath(kind, path, false);
  if (!p.attr) {
    if (p.container) delete res[p.container];
    return;
  }
  if (p.attr.returned === 'always') return;
  const src = p.container === null ? res : (res[p.container] as JsonObject | undefined);
  if (!isObject(src)) return;
  if (!p.sub) return void delete src[p.attr.name];
  const v = src[p.attr.name];
  for (const x of Array.isArray(v) ? v : [v]) if (isObject(x)) delete x[p.sub.name];
}
