import { ScimError } from './errors.js';
import {
  SCHEMAS,
  findAttr,
  findSchemaUrn,
  topLevelAttributes,
  type AttrDef,
  type ResourceKind,
} from './schemas.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Coerces one simple value to the attribute's type; vendors send `"True"`/`"False"` for booleans. */
function coerceSimple(def: AttrDef, v: Json, where: string): Json {
  switch (def.type) {
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      throw new ScimError('ERR_SCIM_INVALID_VALUE', `${where} must be a boolean`);
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      throw new ScimError('ERR_SCIM_INVALID_VALUE', `${where} must be an integer`);
    case 'decimal':
      if (typeof v === 'number') return v;
      throw new ScimError('ERR_SCIM_INVALID_VALUE', `${where} must be a number`);
    case 'dateTime':
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return v;
      throw new ScimError('ERR_SCIM_INVALID_VALUE', `${where} must be an xsd:dateTime`);
    case 'complex':
      return canonicalComplex(def, v, where);
    default:
      if (typeof v === 'string') return v;
      throw new ScimError('ERR_SCIM_INVALID_VALUE', `${where} must be a string`);
  }
}

function canonicalComplex(def: AttrDef, v: Json, where: string): JsonObject {
  if (!isObject(v)) throw new ScimError('ERR_SCIM_INVALID_VALUE', `${where} must be an object`);
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    const sub = findAttr(def.subAttributes ?? [], k);
    if (!sub || x === null || sub.mutability === 'readOnly') continue;
    out[sub.name] = coerceSimple(sub, x, `${where}.${sub.name}`);
  }
  return out;
}

/**
 * Canonicalises a value for `def`: multi-valued attributes become arrays (OneLogin sends a lone
 * object for `emails`), sub-attribute names take their canonical case, types are checked.
 * Returns undefined for null (the attribute is cleared).
 */
export function coerceValue(def: AttrDef, v: Json | undefined, where: string): Json | undefined {
  if (v === null || v === undefined) return undefined;
  if (def.multiValued) {
    const items = Array.isArray(v) ? v : [v];
    const out = items.filter((x) => x !== null).map((x, i) => coerceSimple(def, x, `${where}[${i}]`));
    if (def.type === 'complex') clearExtraPrimaries(out as JsonObject[]);
    return out;
  }
  if (Array.isArray(v)) throw new ScimError('ERR_SCIM_INVALID_VALUE', `${where} is single-valued`);
  return coerceSimple(def, v, where);
}

/** RFC 7643 §2.4: at most one `primary: true`; the last one set wins. */
export function clearExtraPrimaries(items: JsonObject[]): void {
  let seen = false;
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.primary === true) {
      if (seen) it.primary = false;
      seen = true;
    }
  }
}

/**
 * Canonicalises a resource body (POST/PUT): known attributes in canonical case, extension
 * attributes under their URN (also when sent as flat `urn:…:attr` keys, as Entra's mappings
 * do), read-only and write-only attributes and unknown names dropped.
 */
export function canonicalResource(kind: ResourceKind, body: JsonObject): JsonObject {
  const out: JsonObject = {};
  const tops = topLevelAttributes(kind);
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const urn = findSchemaUrn(kind, key);
    if (urn && urn !== kind.core) {
      if (value === null) continue;
      if (!isObject(value)) throw new ScimError('ERR_SCIM_INVALID_VALUE', `${urn} must be an object`);
      const container = (out[urn] as JsonObject | undefined) ?? {};
      for (const [k, x] of Object.entries(value))
        setInContainer(container, SCHEMAS[urn]!.attributes, k, x, urn);
      out[urn] = container;
      continue;
    }
    const flat = kind.extensions.find((u) => key.toLowerCase().startsWith(u.toLowerCase() + ':'));
    if (flat) {
      const container = (out[flat] as JsonObject | undefined) ?? {};
      setInContainer(container, SCHEMAS[flat]!.attributes, key.slice(flat.length + 1), value, flat);
      out[flat] = container;
      continue;
    }
    const coreName = key.toLowerCase().startsWith(kind.core.toLowerCase() + ':')
      ? key.slice(kind.core.length + 1)
      : key;
    setInContainer(out, tops, coreName, value, '');
  }
  for (const [k, v] of Object.entries(out))
    if (isObject(v) && k.startsWith('urn:') && !Object.keys(v).length) delete out[k];
  return out;
}

function setInContainer(target: JsonObject, defs: AttrDef[], key: string, value: Json, prefix: string): void {
  const def = findAttr(defs, key);
  if (!def || def.mutability === 'readOnly' || def.mutability === 'writeOnly') return;
  const v = coerceValue(def, value, prefix ? `${prefix}:${def.name}` : def.name);
  if (v === undefined) delete target[def.name];
  else target[def.name] = v;
}
