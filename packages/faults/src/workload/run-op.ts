/**
 * Runs workload operations against a real Store and reports each outcome in a normalised form
 * the model can predict: Metas as `{ key, type, lastWrite }`, Maps as sorted `[keyText, value]`
 * pairs, streams as arrays.
 */
import { lastValueFrom, map, toArray, type Observable } from 'rxjs';
import type { Key, KonserveError, Meta, Store } from '@konserve-rx/core';
import { keyText } from './equal';
import { bump, sortedEntries } from './model';
import type { WorkloadOp } from './ops';

/** What one op did: its normalised result, or the error it failed with. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** The Observable of one op, with its result normalised (nothing runs until it is subscribed). */
export function opCall(store: Store, op: WorkloadOp): Observable<unknown> {
  return callOf(store, op);
}

/** Subscribes to `op` on `store` and resolves with its outcome (never rejects). */
export function runOp(store: Store, op: WorkloadOp): Promise<Outcome> {
  return settleOutcome(opCall(store, op));
}

/**
 * Resolves with the outcome of an Observable that must emit exactly one normalised value; emitting
 * none or several is reported as an error outcome (a contract violation, never a fault).
 */
export function settleOutcome(obs: Observable<unknown>): Promise<Outcome> {
  return lastValueFrom(obs.pipe(toArray())).then(
    (values): Outcome => (values.length === 1 ? { ok: true, value: values[0] } : { ok: false, error: new Error(`expected one value, got ${values.length}`) }),
    (error: unknown): Outcome => ({ ok: false, error }),
  );
}

/** The code of a KonserveError, or `undefined` for anything else. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as Partial<KonserveError> | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function callOf(store: Store, op: WorkloadOp): Observable<unknown> {
  switch (op.op) {
    case 'assoc':
      return mapOne(store.assoc(op.key, op.value), metaShape);
    case 'assocIn':
      return store.assocIn([op.key, op.field], op.value);
    case 'update':
      return store.update(op.key, (old: unknown) => bump(old, op.by));
    case 'dissoc':
      return store.dissoc(op.key);
    case 'append':
      return store.append(op.key, op.elem);
    case 'multiAssoc':
      return mapOne(store.multiAssoc(op.entries), mapShape);
    case 'multiDissoc':
      return mapOne(store.multiDissoc(op.keys), mapShape);
    case 'bassoc':
      return mapOne(store.bassoc(op.key, op.chunks === 0 ? op.bytes : chunked(op.bytes, op.chunks)), metaShape);
    case 'get':
      return store.get(op.key);
    case 'getIn':
      return store.getIn([op.key, op.field]);
    case 'exists':
      return store.exists(op.key);
    case 'log':
      return store.log(op.key).pipe(toArray());
    case 'bget':
      return store.bget(op.key, (blob) => blob.bytes());
    case 'multiGet':
      return mapOne(store.multiGet(op.keys), mapShape);
    case 'keys':
      // 'fail': a damaged entry must show as an error the check can explain, not as a key missing
      // from the listing (keys() leaves such entries out by default)
      return mapOne(store.keys({ onDamaged: 'fail' }).pipe(toArray()), (metas) =>
        metas.map((m) => [keyText(m.key), m.type]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );
  }
}

function mapOne<T>(obs: Observable<T>, f: (value: T) => unknown): Observable<unknown> {
  return obs.pipe(map(f));
}

function metaShape(meta: Meta): unknown {
  return { key: keyText(meta.key), type: meta.type, lastWrite: meta.lastWrite instanceof Date };
}

function mapShape(map: ReadonlyMap<Key, unknown>): unknown {
  return sortedEntries(new Map([...map].map(([k, v]) => [keyText(k), v])));
}

async function* chunked(bytes: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  const size = Math.ceil(bytes.length / n);
  for (let i = 0; i < n; i++) yield bytes.slice(i * size, (i + 1) * size);
}
