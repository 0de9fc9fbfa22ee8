/**
 * Custom types for the CBOR serializer without touching cbor-x's global extension table: before
 * encoding, registered instances are swapped for `TaggedValue`s (which cbor-x writes natively as
 * tags); after decoding, tags are swapped back for instances, or `TaggedValue`s when unknown.
 */
import { Tag } from 'cbor-x';
import { TaggedValue } from '../tagged-value';
import type { TypeTable } from './type-table';

/**
 * Returns a copy of `value` in which every registered instance is a `TaggedValue`. Shared and
 * cyclic references map to shared and cyclic copies, so cbor-x sees the same graph shape.
 */
export function wrapTypes(value: unknown, table: TypeTable, seen = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  const type = table.forValue(value);
  if (type !== undefined) return fill(seen, value, new TaggedValue(type.tag, undefined as unknown), (t) => {
    t.value = wrapTypes(type.encode(value), table, seen);
  });
  if (value instanceof Tag) return fill(seen, value, new TaggedValue(value.tag, undefined as unknown), (t) => {
    t.value = wrapTypes(value.value, table, seen);
  });
  if (Array.isArray(value)) return fill(seen, value, [] as unknown[], (out) => {
    for (let i = 0; i < value.length; i++) out.push(wrapTypes(value[i], table, seen));
  });
  if (value instanceof Map) return fill(seen, value, new Map(), (out) => {
    for (const [k, v] of value) out.set(wrapTypes(k, table, seen), wrapTypes(v, table, seen));
  });
  if (value instanceof Set) return fill(seen, value, new Set(), (out) => {
    for (const v of value) out.add(wrapTypes(v, table, seen));
  });
  if (isLeaf(value)) return value;
  // plain objects, and other class instances, which cbor-x writes as maps of their own fields
  return fill(seen, value, {} as Record<string, unknown>, (out) => {
    for (const k of Object.keys(value)) setField(out, k, wrapTypes((value as Record<string, unknown>)[k], table, seen));
  });
}

/**
 * Replaces, in place, every cbor-x `Tag` in a freshly decoded value by the registered type's
 * instance or a `TaggedValue`; returns the (possibly replaced) root. Contents are decoded first.
 * `seen` is only needed when the encoder shares references (cbor-x `structuredClone`).
 */
export function unwrapTypes(value: unknown, table: TypeTable, seen?: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen !== undefined) {
    if (seen.has(value)) return seen.get(value);
    seen.set(value, value);
  }
  if (value instanceof Tag) {
    const inner = unwrapTypes(value.value, table, seen);
    const type = table.byTag(value.tag);
    const out = type !== undefined ? type.decode(inner) : new TaggedValue(value.tag, inner);
    seen?.set(value, out);
    return out;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unwrapTypes(value[i], table, seen);
  } else if (value instanceof Map) {
    unwrapMap(value, table, seen);
  } else if (value instanceof Set) {
    const items = [...value].map((v) => unwrapTypes(v, table, seen));
    if (items.some((v) => !value.has(v))) {
      value.clear();
      for (const v of items) value.add(v);
    }
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) record[k] = unwrapTypes(record[k], table, seen);
  }
  return value;
}

function unwrapMap(map: Map<unknown, unknown>, table: TypeTable, seen?: Map<object, unknown>): void {
  const entries = [...map].map(([k, v]) => [unwrapTypes(k, table, seen), unwrapTypes(v, table, seen)] as const);
  // re-inserting keeps the order; only needed when a key itself was a tag
  if (entries.some(([k]) => !map.has(k))) map.clear();
  for (const [k, v] of entries) map.set(k, v);
}

function fill<T>(seen: Map<object, unknown>, from: object, to: T, body: (to: T) => void): T {
  seen.set(from, to);
  body(to);
  return to;
}

/** Values cbor-x encodes by itself and that hold no nested user values. */
function isLeaf(value: object): boolean {
  return value instanceof Date || value instanceof RegExp || value instanceof Error || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** Sets a field by definition, so a field named `__proto__` stays a field. */
export function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
