/**
 * The reference model: the Store's documented semantics over a plain Map, predicting the result
 * of every workload operation (or the error code it must fail with) and the state it leaves.
 */
import type { Key, KonserveErrorCode } from '@konserve-rx/core';
import { ANY, keyText } from './equal';
import type { WorkloadOp } from './ops';

/** What one key holds. */
export type KeyState =
  | { readonly type: 'value'; readonly value: unknown }
  | { readonly type: 'binary'; readonly bytes: Uint8Array }
  | { readonly type: 'append-log'; readonly elems: readonly unknown[] };

/** The predicted outcome of an op, in the normalised form `runOp` reports (see run-op.ts). */
export type Expected = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: KonserveErrorCode };

/** A key's new state after a successful write (`undefined`: removed). */
export interface StateChange {
  readonly text: string;
  readonly key: Key;
  readonly state: KeyState | undefined;
}

/** The prediction for one op: its outcome and, for writes, the state it leaves when it succeeds. */
export interface Prediction {
  readonly expected: Expected;
  readonly changes: readonly StateChange[];
}

/** The model of a whole store: every key's state, by key identity. */
export interface StoreModel {
  /** Every stored key with its state. */
  readonly entries: ReadonlyMap<string, { readonly key: Key; readonly state: KeyState }>;
  /** The state of `key`, `undefined` when missing. */
  state(key: Key): KeyState | undefined;
  /** Predicts `op` against the current state, changing nothing. */
  predict(op: WorkloadOp): Prediction;
  /** Applies state changes (those of a successful write, or states observed after a failure). */
  apply(changes: readonly StateChange[]): void;
}

/** The function `update` ops apply: add `by` to a number, else start at `by`. */
export function bump(old: unknown, by: number): number {
  return typeof old === 'number' ? old + by : by;
}

/** Creates an empty model. */
export function createModel(): StoreModel {
  const entries = new Map<string, { key: Key; state: KeyState }>();
  const state = (key: Key): KeyState | undefined => entries.get(keyText(key))?.state;
  return {
    entries,
    state,
    predict: (op) => predict(op, state, entries),
    apply(changes) {
      for (const c of changes) {
        if (c.state === undefined) entries.delete(c.text);
        else entries.set(c.text, { key: c.key, state: c.state });
      }
    },
  };
}

const ok = (value: unknown, changes: StateChange[] = []): Prediction => ({ expected: { ok: true, value }, changes });
const fail = (code: KonserveErrorCode): Prediction => ({ expected: { ok: false, code }, changes: [] });
const change = (key: Key, s: KeyState | undefined): StateChange => ({ text: keyText(key), key, state: s });
const metaOf = (key: Key, type: KeyState['type']) => ({ key: keyText(key), type, lastWrite: true });

/** What `get` returns for a state: the value, a copy of the bytes, or the log head. */
export function valueOf(s: KeyState | undefined): unknown {
  if (s === undefined) return undefined;
  if (s.type === 'value') return s.value;
  if (s.type === 'binary') return s.bytes;
  return { count: s.elems.length, gen: ANY };
}

function predict(op: WorkloadOp, state: (key: Key) => KeyState | undefined, entries: ReadonlyMap<string, { key: Key; state: KeyState }>): Prediction {
  switch (op.op) {
    case 'assoc':
      return ok(metaOf(op.key, 'value'), [change(op.key, { type: 'value', value: op.value })]);
    case 'assocIn':
      return predictAssocIn(op.key, op.field, op.value, state(op.key));
    case 'update': {
      const s = state(op.key);
      if (s?.type === 'append-log') return fail('ERR_INVALID_ARGUMENT');
      const old = valueOf(s);
      const value = bump(old, op.by);
      return ok({ old, new: value }, [change(op.key, { type: 'value', value })]);
    }
    case 'dissoc':
      return ok(state(op.key) !== undefined, [change(op.key, undefined)]);
    case 'append': {
      const s = state(op.key);
      if (s !== undefined && s.type !== 'append-log') return fail('ERR_INVALID_ARGUMENT');
      const elems = s?.elems ?? [];
      const old = s === undefined ? undefined : { count: elems.length, gen: ANY };
      return ok({ old, new: { count: elems.length + 1, gen: ANY } }, [change(op.key, { type: 'append-log', elems: [...elems, op.elem] })]);
    }
    case 'multiAssoc': {
      const result = new Map(op.entries.map(([k]) => [keyText(k), true]));
      return ok(
        sortedEntries(result),
        op.entries.map(([k, v]) => change(k, { type: 'value', value: v })),
      );
    }
    case 'multiDissoc': {
      const result = new Map(op.keys.map((k) => [keyText(k), state(k) !== undefined]));
      return ok(
        sortedEntries(result),
        op.keys.map((k) => change(k, undefined)),
      );
    }
    case 'bassoc':
      return ok(metaOf(op.key, 'binary'), [change(op.key, { type: 'binary', bytes: op.bytes })]);
    case 'get':
      return ok(valueOf(state(op.key)));
    case 'getIn':
      return ok(fieldOf(valueOf(state(op.key)), op.field));
    case 'exists':
      return ok(state(op.key) !== undefined);
    case 'log': {
      const s = state(op.key);
      if (s !== undefined && s.type !== 'append-log') return fail('ERR_INVALID_ARGUMENT');
      return ok(s?.elems ?? []);
    }
    case 'bget': {
      const s = state(op.key);
      if (s !== undefined && s.type !== 'binary') return fail('ERR_INVALID_ARGUMENT');
      return ok(s?.bytes);
    }
    case 'multiGet': {
      const found = new Map<string, unknown>();
      for (const k of op.keys) if (state(k) !== undefined) found.set(keyText(k), valueOf(state(k)));
      return ok(sortedEntries(found));
    }
    case 'keys':
      return ok([...entries].map(([text, e]) => [text, e.state.type]).sort(byFirst));
  }
}

function predictAssocIn(key: Key, field: string, value: unknown, s: KeyState | undefined): Prediction {
  if (s?.type === 'append-log') return fail('ERR_INVALID_ARGUMENT');
  const old = valueOf(s);
  // a missing or null top level becomes a new object; anything but a plain object is not a collection for a field step
  if (old !== undefined && old !== null && !isPlainObject(old)) return fail('ERR_INVALID_ARGUMENT');
  const next = { ...(old as Record<string, unknown> | null | undefined), [field]: value };
  return ok({ old, new: next }, [change(key, { type: 'value', value: next })]);
}

/** `getIn([key, field])`: the field of a plain object, else missing. */
function fieldOf(value: unknown, field: string): unknown {
  if (value instanceof Map) return value.get(field);
  return isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, field) ? value[field] : undefined;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** A Map's entries as `[text, value]` pairs sorted by text: the normalised form of Map results. */
export function sortedEntries(map: ReadonlyMap<string, unknown>): Array<[string, unknown]> {
  return [...map].sort(byFirst);
}

function byFirst(a: readonly unknown[], b: readonly unknown[]): number {
  const x = a[0] as string;
  const y = b[0] as string;
  return x < y ? -1 : x > y ? 1 : 0;
}
