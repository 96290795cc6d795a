import type { Filter } from 'scim2-parse-filter';
import { ScimError } from './errors.js';
import { matches } from './filter.js';
import { resolvePath, type ResolvedPath } from './paths.js';
import { SCHEMAS, URN, findSchemaUrn, type AttrDef, type ResourceKind } from './schemas.js';
import { clearExtraPrimaries, coerceValue, isObject, type Json, type JsonObject } from './values.js';

/**
 * PATCH (RFC 7644 §3.5.2) over a canonical resource. Operations apply in order to a copy, so a
 * failing operation leaves the stored resource untouched. Accepts what the vendors send: op
 * names in any case (Entra's `Replace`), path-less value objects whose keys are attribute paths
 * (`name.givenName`, `urn:…:employeeNumber`), `"True"`/`"False"` for booleans, and
 * `remove` of `members` with a value list.
 */
export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: Json;
}

const key = (o: JsonObject, name: string): Json | undefined => {
  const l = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === l) return o[k];
  return undefined;
};

/** Validates a PatchOp message and returns its operations. */
export function readPatchBody(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw new ScimError('ERR_SCIM_SYNTAX', 'the body must be a PatchOp object');
  const schemas = key(body, 'schemas');
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase())
  )
    throw new ScimError('ERR_SCIM_SYNTAX', `schemas must contain ${URN.patchOp}`);
  const ops = key(body, 'Operations');
  if (!Array.isArray(ops) || ops.length === 0)
    throw new ScimError('ERR_SCIM_SYNTAX', 'Operations must be a non-empty array');
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw new ScimError('ERR_SCIM_SYNTAX', `Operations[${i}] must be an object`);
    const op = key(raw, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : '';
    if (name !== 'add' && name !== 'remove' && name !== 'replace')
      throw new ScimError('ERR_SCIM_SYNTAX', `Operations[${i}].op must be add, remove or replace`);
    const path = key(raw, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string')
      throw new ScimError('ERR_SCIM_INVALID_PATH', `Operations[${i}].path must be a string`);
    const out: PatchOperation = { op: name };
    if (typeof path === 'string' && path.trim() !== '') out.path = path;
    const value = key(raw, 'value');
    if (value !== undefined) out.value = value;
    if (name !== 'remove' && out.value === undefined)
      throw new ScimError('ERR_SCIM_INVALID_VALUE', `Operations[${i}] needs a value`);
    if (name === 'remove' && out.path === undefined)
      throw new ScimError('ERR_SCIM_NO_TARGET', `Operations[${i}]: remove needs a path`);
    return out;
  });
}

const same = (a: Json | undefined, b: Json | undefined) => canonicalJson(a) === canonicalJson(b);
function canonicalJson(v: Json | undefined): string {
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  return JSON.stringify(v ?? null);
}

/** Applies operations to a copy of `resource` and returns the copy. */
export function applyPatch(kind: ResourceKind, resource: JsonObject, ops: PatchOperation[]): JsonObject {
  const doc = structuredClone(resource);
  for (const op of ops) {
    if (op.path === undefined) applyPathless(kind, doc, op);
    else applyAt(kind, doc, resolvePath(kind, op.path), op.op, op.value, op.path);
  }
  return doc;
}

function applyPathless(kind: ResourceKind, doc: JsonObject, op: PatchOperation): void {
  if (!isObject(op.value))
    throw new ScimError('ERR_SCIM_INVALID_VALUE', `${op.op} without a path needs an object value`);
  for (const [k, v] of Object.entries(op.value)) {
    if (k.toLowerCase() === 'schemas') continue;
    const urn = findSchemaUrn(kind, k);
    if (urn && urn !== kind.core) {
      if (!isObject(v)) throw new ScimError('ERR_SCIM_INVALID_VALUE', `${urn} must be an object`);
      for (const [sk, sv] of Object.entries(v))
        applyAt(kind, doc, resolvePath(kind, `${urn}:${sk}`), op.op, sv, sk);
      continue;
    }
    let resolved: ResolvedPath;
    try {
      resolved = resolvePath(kind, k);
    } catch (e) {
      // Unknown names in a value object are ignored, as in a POST or PUT body.
      if (e instanceof ScimError && e.code === 'ERR_SCIM_INVALID_PATH') continue;
      throw e;
    }
    // Okta's group rename repeats the read-only `id`; read-only keys in a value object are ignored.
    if (resolved.attr?.mutability === 'readOnly') continue;
    applyAt(kind, doc, resolved, op.op, v, k);
  }
}

function containerOf(doc: JsonObject, p: ResolvedPath, create: boolean): JsonObject | undefined {
  if (p.container === null) return doc;
  const c = doc[p.container];
  if (isObject(c)) return c;
  if (!create) return undefined;
  const fresh: JsonObject = {};
  doc[p.container] = fresh;
  return fresh;
}

function applyAt(
  kind: ResourceKind,
  doc: JsonObject,
  p: ResolvedPath,
  op: PatchOpName,
  value: Json | undefined,
  path: string,
): void {
  if (!p.attr) {
    // The whole extension object, e.g. path "urn:…:WorkatoRole".
    const urn = p.container!;
    if (op === 'remove') return void delete doc[urn];
    if (!isObject(value)) throw new ScimError('ERR_SCIM_INVALID_VALUE', `${urn} needs an object value`);
    if (op === 'replace') delete doc[urn];
    for (const [k, v] of Object.entries(value))
      applyAt(kind, doc, resolvePath(kind, `${urn}:${k}`), 'add', v, k);
    return;
  }
  const attr = p.attr;
  if (attr.mutability === 'readOnly' || (p.sub?.mutability === 'readOnly' && op !== 'remove'))
    throw new ScimError('ERR_SCIM_MUTABILITY', `${path} is read-only`);
  const target = containerOf(doc, p, op !== 'remove');
  if (!target) return;
  if (op === 'remove') return remove(kind, target, p, value, path);
  if (p.filter) return setFiltered(kind, target, attr, p.filter, p.sub, value, op, path);
  if (p.sub) {
    if (attr.multiValued)
      throw new ScimError('ERR_SCIM_INVALID_PATH', `${path}: give a value filter for ${attr.name}`);
    const obj = isObject(target[attr.name]) ? (target[attr.name] as JsonObject) : {};
    const v = coerceValue(p.sub, value, path);
    if (v === undefined) delete obj[p.sub.name];
    else obj[p.sub.name] = v;
    target[attr.name] = obj;
    return;
  }
  const v = coerceValue(attr, value, path);
  if (v === undefined) return void delete target[attr.name];
  if (attr.multiValued) {
    const incoming = v as Json[];
    if (op === 'replace') target[attr.name] = incoming;
    else {
      const existing = Array.isArray(target[attr.name]) ? (target[attr.name] as Json[]) : [];
      if (incoming.some((x) => isObject(x) && x.primary === true))
        for (const x of existing) if (isObject(x) && x.primary === true) x.primary = false;
      target[attr.name] = [...existing, ...incoming.filter((x) => !existing.some((e) => same(e, x)))];
    }
    if (attr.type === 'complex') clearExtraPrimaries(target[attr.name] as JsonObject[]);
    return;
  }
  if (attr.type === 'complex' && isObject(target[attr.name]) && isObject(v))
    target[attr.name] = { ...(target[attr.name] as JsonObject), ...v };
  else target[attr.name] = v;
}

/** Builds the element an `add` to `emails[type eq "work"].value` creates when none matches. */
function elementFromEquality(f: Filter, attr: AttrDef): JsonObject | undefined {
  const op = f.op.toLowerCase();
  if (op === 'eq') {
    const { attrPath, compValue } = f as { attrPath: string; compValue: unknown };
    const sub = (attr.subAttributes ?? []).find((d) => d.name.toLowerCase() === attrPath.toLowerCase());
    return sub && typeof compValue !== 'object' ? { [sub.name]: compValue as Json } : undefined;
  }
  if (op === 'and') {
    const parts = (f as { filters: Filter[] }).filters.map((x) => elementFromEquality(x, attr));
    return parts.every(Boolean) ? Object.assign({}, ...parts) : undefined;
  }
  return undefined;
}

function setFiltered(
  kind: ResourceKind,
  target: JsonObject,
  attr: AttrDef,
  filter: Filter,
  sub: AttrDef | undefined,
  value: Json | undefined,
  op: 'add' | 'replace',
  path: string,
): void {
  const items = Array.isArray(target[attr.name]) ? (target[attr.name] as Json[]) : [];
  let hits = items.filter((x): x is JsonObject => isObject(x) && matches(kind, filter, x, attr));
  if (hits.length === 0) {
    const seed = op === 'add' ? elementFromEquality(filter, attr) : undefined;
    if (!seed) throw new ScimError('ERR_SCIM_NO_TARGET', `${path} matches no value`);
    items.push(seed);
    hits = [seed];
  }
  for (const hit of hits) {
    if (sub) {
      const v = coerceValue(sub, value, path);
      if (v === undefined) delete hit[sub.name];
      else hit[sub.name] = v;
    } else {
      const v = coerceValue({ ...attr, multiValued: false }, value, path);
      if (isObject(v)) Object.assign(hit, v);
    }
  }
  target[attr.name] = items;
  if (attr.type === 'complex') {
    const primary = hits.find((h) => h.primary === true);
    if (primary)
      for (const x of items) if (isObject(x) && x !== primary && x.primary === true) x.primary = false;
  }
}

function remove(
  kind: ResourceKind,
  target: JsonObject,
  p: ResolvedPath,
  value: Json | undefined,
  path: string,
): void {
  const attr = p.attr!;
  const schema = p.container === null ? SCHEMAS[kind.core] : SCHEMAS[p.container];
  const required = schema?.attributes.some((d) => d === attr && d.required) ?? false;
  if (required && !p.sub && !p.filter) throw new ScimError('ERR_SCIM_MUTABILITY', `${path} is required`);
  if (p.filter) {
    const items = Array.isArray(target[attr.name]) ? (target[attr.name] as Json[]) : [];
    if (p.sub) {
      for (const x of items) if (isObject(x) && matches(kind, p.filter, x, attr)) delete x[p.sub.name];
      return;
    }
    const kept = items.filter((x) => !(isObject(x) && matches(kind, p.filter!, x, attr)));
    if (kept.length) target[attr.name] = kept;
    else delete target[attr.name];
    return;
  }
  if (p.sub) {
    const obj = target[attr.name];
    if (isObject(obj)) delete obj[p.sub.name];
    return;
  }
  if (attr.multiValued && value !== undefined && value !== null) {
    // Entra (without aadOptscim062020): {"op":"Remove","path":"members","value":[{"value":"…"}]}
    const gone = (Array.isArray(value) ? value : [value]).map((x) => (isObject(x) ? key(x, 'value') : x));
    const items = Array.isArray(target[attr.name]) ? (target[attr.name] as Json[]) : [];
    const kept = items.filter((x) => !gone.some((g) => g !== undefined && isObject(x) && same(x.value, g)));
    if (kept.length) target[attr.name] = kept;
    else delete target[attr.name];
    return;
  }
  delete target[attr.name];
}
