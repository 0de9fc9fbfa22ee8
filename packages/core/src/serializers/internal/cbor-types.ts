/**
 * Custom types for the CBOR serializer without touching cbor-x's global extension table: before
 * encoding, registered instances are swapped for `TaggedValue`s (which cbor-x writes natively as
 * tags); after decoding, tags are swapped back for instances, or `TaggedValue`s when unknown.
 * Both walks are on every read or write, so plain objects and arrays take the first, cheapest path.
 */
import { Tag } from 'cbor-x';
import { TaggedValue } from '../tagged-value';
import type { TypeTable } from './type-table';

/**
 * Returns `value` with every registered instance replaced by a `TaggedValue`, copying only the
 * containers on the way to a replacement (the caller's value is never modified). Cyclic values
 * overflow the stack here, which the store reports as `ERR_NOT_SERIALIZABLE`, as cbor-x would.
 */
export function wrapTypes(value: unknown, table: TypeTable): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return wrapRecord(value as Record<string, unknown>, table);
  if (Array.isArray(value)) return wrapArray(value, table);
  const type = table.forValue(value);
  if (type !== undefined) return new TaggedValue(type.tag, wrapTypes(type.encode(value), table));
  if (value instanceof Tag) {
    const inner = wrapTypes(value.value, table);
    return inner === value.value ? value : new TaggedValue(value.tag, inner);
  }
  if (value instanceof Map) {
    const original = [...value];
    const entries = original.map(([k, v]) => [wrapTypes(k, table), wrapTypes(v, table)] as const);
    return entries.some(([k, v], i) => k !== original[i]![0] || v !== original[i]![1]) ? new Map(entries) : value;
  }
  if (value instanceof Set) {
    const items = [...value].map((v) => wrapTypes(v, table));
    return items.some((v) => !value.has(v)) ? new Set(items) : value;
  }
  if (isLeaf(value)) return value;
  // other class instances: cbor-x writes their own fields as a map, so a plain copy is the same
  return wrapRecord({ ...value } as Record<string, unknown>, table);
}

/**
 * Like {@link wrapTypes}, but copies every container and maps shared and cyclic references to
 * shared and cyclic copies: for encoders that keep references (cbor-x `structuredClone`).
 */
export function wrapTypesShared(value: unknown, table: TypeTable, seen = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  const sub = (v: unknown): unknown => wrapTypesShared(v, table, seen);
  const type = table.forValue(value);
  if (type !== undefined || value instanceof Tag) {
    const out = new TaggedValue(type?.tag ?? (value as Tag).tag, undefined as unknown);
    seen.set(value, out);
    out.value = sub(type !== undefined ? type.encode(value) : (value as Tag).value);
    return out;
  }
  if (isLeaf(value)) return value;
  const out: unknown = Array.isArray(value) ? [] : value instanceof Map ? new Map() : value instanceof Set ? new Set() : {};
  seen.set(value, out);
  if (Array.isArray(value)) for (const v of value) (out as unknown[]).push(sub(v));
  else if (value instanceof Map) for (const [k, v] of value) (out as Map<unknown, unknown>).set(sub(k), sub(v));
  else if (value instanceof Set) for (const v of value) (out as Set<unknown>).add(sub(v));
  else for (const k of Object.keys(value)) setField(out as Record<string, unknown>, k, sub((value as Record<string, unknown>)[k]));
  return out;
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
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const k in record) {
      const v = record[k];
      if (typeof v === 'object' && v !== null) {
        const u = unwrapTypes(v, table, seen);
        if (u !== v) record[k] = u;
      }
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) {
        const u = unwrapTypes(v, table, seen);
        if (u !== v) value[i] = u;
      }
    }
  } else if (value instanceof Tag) {
    const inner = unwrapTypes(value.value, table, seen);
    const type = table.byTag(value.tag);
    const out = type !== undefined ? type.decode(inner) : new TaggedValue(value.tag, inner);
    seen?.set(value, out);
    return out;
  } else if (value instanceof Map) {
    unwrapMap(value, table, seen);
  } else if (value instanceof Set) {
    const items = [...value].map((v) => unwrapTypes(v, table, seen));
    if (items.some((v) => !value.has(v))) {
      value.clear();
      for (const v of items) value.add(v);
    }
  }
  return value;
}

/**
 * True when `value` is a primitive, or a plain object or array whose members are all primitives:
 * then it cannot hold a `Tag` (a Tag is an object) and {@link unwrapTypes} would return it as it
 * is. Cheaper than {@link mayHoldForeignTags} for flat records; stops at the first nested object.
 */
export function holdsNoObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  // for...in like unwrapTypes, so both see the same members
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null) return false;
  }
  return true;
}

/**
 * False when `bytes` surely hold no CBOR tag that cbor-x would hand back as a bare `Tag`, so the
 * decode walk can be skipped. It walks the item heads (CBOR is a pre-order sequence of heads, so
 * nesting needs no stack) and jumps over string payloads, so text can never look like a tag. The
 * only tags allowed are those cbor-x itself writes for Date, BigInt, Set, Map, Error/RegExp and
 * little-endian typed arrays. Anything it cannot read as a head answers true: only slower.
 */
export function mayHoldForeignTags(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const head = bytes[i++]!;
    const major = head >> 5;
    const info = head & 0x1f;
    let arg = info;
    if (info >= 24) {
      if (info === 31)
        arg = 0; // indefinite length (or a break): its chunks or items follow as heads
      else if (info > 27)
        return true; // reserved: not something cbor-x wrote
      else {
        const size = 1 << (info - 24); // 1, 2, 4 or 8 argument bytes
        arg = 0;
        for (let k = 0; k < size; k++) arg = arg * 256 + (bytes[i + k] ?? 0);
        i += size;
      }
    }
    if (major === 6) {
      if (!(arg <= 3 || (arg < 256 && SAFE_ONE_BYTE_TAGS[arg] === 1) || arg === 258 || arg === 259)) return true;
    } else if (major === 2 || major === 3) {
      i += arg; // a definite string's payload (for floats, major 7, the argument bytes were the value)
    }
  }
  return false;
}

/** 1 at the one-byte tags cbor-x always decodes itself: 27 (Error/RegExp) and its little-endian typed arrays. */
const SAFE_ONE_BYTE_TAGS = ((): Uint8Array => {
  const table = new Uint8Array(256);
  for (const tag of [27, 64, 68, 69, 70, 71, 72, 77, 78, 79, 85, 86]) table[tag] = 1;
  return table;
})();

function unwrapMap(map: Map<unknown, unknown>, table: TypeTable, seen?: Map<object, unknown>): void {
  const entries = [...map].map(([k, v]) => [unwrapTypes(k, table, seen), unwrapTypes(v, table, seen)] as const);
  // re-inserting keeps the order; only needed when a key itself was a tag
  if (entries.some(([k]) => !map.has(k))) map.clear();
  for (const [k, v] of entries) map.set(k, v);
}

function wrapRecord(record: Record<string, unknown>, table: TypeTable): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(record)) {
    const v = record[k];
    if (typeof v !== 'object' || v === null) continue;
    const w = wrapTypes(v, table);
    if (w === v) continue;
    out ??= copyRecord(record);
    setField(out, k, w);
  }
  return out ?? record;
}

function wrapArray(array: unknown[], table: TypeTable): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const v: unknown = array[i];
    if (typeof v !== 'object' || v === null) continue;
    const w = wrapTypes(v, table);
    if (w === v) continue;
    out ??= Array.from(array);
    out[i] = w;
  }
  return out ?? array;
}

function copyRecord(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) setField(out, k, record[k]);
  return out;
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
