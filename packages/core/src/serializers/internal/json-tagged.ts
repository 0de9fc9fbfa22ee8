/**
 * The tagged JSON form of values JSON cannot hold (documented in docs/format.md): each is an
 * object with exactly one key starting with `~`, e.g. `{"~date": "2024-05-01T12:00:00.000Z"}`.
 * A user object that has exactly one key starting with `~` is escaped as `{"~object": {...}}`.
 */
import { fromBase64, toBase64 } from '#platform';
import { TaggedValue } from '../tagged-value';
import { setField } from './cbor-types';
import type { TypeTable } from './type-table';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type TypedArray = ArrayBufferView & ArrayLike<number | bigint>;
type TypedArrayClass = { new (length: number): TypedArray; name: string };

/** Typed arrays written as `{"~<ClassName>": [elements]}`; Uint8Array is `~bytes` (base64). */
const TYPED: readonly TypedArrayClass[] = [
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];
const TYPED_BY_KEY = new Map(TYPED.map((c) => [`~${c.name}`, c]));

/** Turns a value into plain JSON data; throws on functions, symbols and cycles. */
export function toJson(value: unknown, table: TypeTable, stack = new Set<object>()): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { '~number': numberText(value) };
    case 'bigint':
      return { '~bigint': value.toString() };
    case 'undefined':
      return { '~undefined': null };
    case 'object':
      if (value === null) return null;
      if (stack.has(value)) throw new TypeError('cannot serialize a cyclic value as JSON');
      stack.add(value);
      try {
        return objectToJson(value, table, stack);
      } finally {
        stack.delete(value);
      }
    default:
      throw new TypeError(`cannot serialize a ${typeof value}`);
  }
}

function objectToJson(value: object, table: TypeTable, stack: Set<object>): Json {
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return recordToJson(value as Record<string, unknown>, table, stack);
  const sub = (v: unknown): Json => toJson(v, table, stack);
  if (Array.isArray(value)) return Array.from(value, sub);
  const type = table.forValue(value);
  if (type !== undefined) return { '~tag': [type.tag, sub(type.encode(value))] };
  if (value instanceof TaggedValue) return { '~tag': [value.tag, sub(value.value)] };
  if (value instanceof Date) return { '~date': Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (value instanceof Map) return { '~map': Array.from(value, ([k, v]) => [sub(k), sub(v)]) };
  if (value instanceof Set) return { '~set': Array.from(value, sub) };
  if (value instanceof RegExp) return { '~regexp': [value.source, value.flags] };
  if (value instanceof Error) return { '~error': [value.name, value.message] };
  if (value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof DataView) return { '~bytes': base64(value) };
  if (ArrayBuffer.isView(value)) {
    const typed = TYPED.find((c) => value instanceof c);
    return typed === undefined ? { '~bytes': base64(value) } : { [`~${typed.name}`]: Array.from(value as unknown as TypedArray, elementToJson) };
  }
  // a Promise has no fields: written as one, it would read back as {}
  if (typeof (value as { then?: unknown }).then === 'function') throw new TypeError('a Promise (or thenable) is not a value: store what it resolves to');
  return recordToJson(value as Record<string, unknown>, table, stack); // other class instances: their own fields
}

function recordToJson(value: Record<string, unknown>, table: TypeTable, stack: Set<object>): Json {
  const out: { [k: string]: Json } = {};
  const keys = Object.keys(value);
  for (const k of keys) setField(out, k, toJson(value[k], table, stack));
  return keys.length === 1 && keys[0]!.startsWith('~') ? { '~object': out } : out;
}

/** Turns parsed JSON back into values, in place where it can; throws on a malformed tagged form. */
export function fromJson(json: unknown, table: TypeTable): unknown {
  if (typeof json !== 'object' || json === null) return json;
  if (Array.isArray(json)) {
    for (let i = 0; i < json.length; i++) json[i] = fromJson(json[i], table);
    return json;
  }
  const record = json as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0]!.startsWith('~')) {
    const tagged = fromTagged(keys[0]!, record[keys[0]!], table);
    if (tagged !== NOT_TAGGED) return tagged;
  }
  for (const k of keys) record[k] = fromJson(record[k], table);
  return record;
}

const NOT_TAGGED = Symbol('not tagged');

function fromTagged(key: string, body: unknown, table: TypeTable): unknown {
  const sub = (v: unknown): unknown => fromJson(v, table);
  switch (key) {
    case '~object':
      return fromObject(body, table);
    case '~undefined':
      return undefined;
    case '~number':
      return parseNumber(body);
    case '~bigint':
      return BigInt(text(body, key));
    case '~date':
      return new Date(body === null ? NaN : text(body, key));
    case '~map':
      return new Map(
        list(body, key)
          .map((e) => pair(e, key))
          .map(([k, v]) => [sub(k), sub(v)]),
      );
    case '~set':
      return new Set(list(body, key).map(sub));
    case '~regexp': {
      const [source, flags] = pair(body, key);
      return new RegExp(text(source, key), text(flags, key));
    }
    case '~error':
      return makeError(pair(body, key));
    case '~bytes':
      return fromBase64(text(body, key));
    case '~tag':
      return fromTag(pair(body, key), table);
  }
  const typed = TYPED_BY_KEY.get(key);
  if (typed === undefined) return NOT_TAGGED; // a form a newer version wrote: keep it as a plain object
  const items = list(body, key);
  const out = new typed(items.length);
  const big = typed === BigInt64Array || typed === BigUint64Array;
  items.forEach((e, i) => {
    (out as unknown as unknown[])[i] = big ? BigInt(text(e, key)) : parseNumber(e);
  });
  return out;
}

function fromTag([tag, body]: [unknown, unknown], table: TypeTable): unknown {
  if (typeof tag !== 'number' || !Number.isInteger(tag)) throw new TypeError('~tag needs an integer tag');
  const inner = fromJson(body, table);
  const type = table.byTag(tag);
  return type !== undefined ? type.decode(inner) : new TaggedValue(tag, inner);
}

function fromObject(body: unknown, table: TypeTable): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TypeError('~object needs an object');
  const record = body as Record<string, unknown>;
  for (const k of Object.keys(record)) record[k] = fromJson(record[k], table);
  return record;
}

/** Standard error classes rebuilt by name; any other name gives an `Error` with that name (never a lookup of arbitrary globals). */
const ERRORS = new Map<string, ErrorConstructor>([Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError].map((c) => [c.name, c]));

function makeError([name, message]: [unknown, unknown]): Error {
  const e = new (ERRORS.get(text(name, '~error')) ?? Error)(text(message, '~error'));
  e.name = name as string;
  return e;
}

function elementToJson(e: number | bigint): Json {
  if (typeof e === 'bigint') return e.toString();
  return Number.isFinite(e) && !Object.is(e, -0) ? e : numberText(e);
}

function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function parseNumber(body: unknown): number {
  if (typeof body === 'number') return body;
  switch (body) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new TypeError(`not a number: ${JSON.stringify(body)}`);
  }
}

function text(v: unknown, key: string): string {
  if (typeof v !== 'string') throw new TypeError(`${key} needs a string`);
  return v;
}

function list(v: unknown, key: string): unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${key} needs an array`);
  return v;
}

function pair(v: unknown, key: string): [unknown, unknown] {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${key} needs a pair`);
  return v as [unknown, unknown];
}

function base64(value: ArrayBuffer | ArrayBufferView): string {
  const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return toBase64(bytes);
}
