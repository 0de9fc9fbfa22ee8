/**
 * How a Store is typed. `Store<V>` reads as "every key holds a `V`"; `Store<Schema<M>>` (alias
 * `TypedStore<M>`) reads as "key `k` holds an `M[k]`". The types below turn that declaration into
 * the parameter and result types of every Store method. They are declarations, never checks: the
 * store does not validate what it reads against them.
 */
import type { AppendLogHead, Key } from './model';

declare const SCHEMA: unique symbol;
declare const ELEMENT: unique symbol;

/**
 * Declares a store's keys and the value under each, for `Store<Schema<M>>`. Type-only: no value
 * of this type exists. `M`'s properties may be literal keys or template patterns.
 * @example
 * ```ts
 * type App = Schema<{ count: number; [user: `user/${string}`]: User; events: AppendLog<Event> }>;
 * const store = createStore<App>(memoryBacking());
 * store.get('user/42'); // Observable<User | undefined>
 * ```
 */
export interface Schema<M extends object> {
  /** Type-only marker carrying the key-to-value map. */
  readonly [SCHEMA]: M;
}

/**
 * Declares, inside a {@link Schema}, a key that holds an append-only log of `E`s: `append` takes
 * an `E`, `log` emits `E`s, and `get` emits the log head.
 */
export interface AppendLog<E> extends AppendLogHead {
  /** Type-only marker carrying the element type; never present at run time. */
  readonly [ELEMENT]?: E;
}

// Every conditional below has `V` on the left of `extends` only (`[V] extends [Schema<infer M>]`,
// never `unknown extends V`, never through a helper): TypeScript relates two such types by
// relating their check types, which keeps `Store<V>` covariant, so a `Store<User>` can be passed
// where a `Store` (= `Store<unknown>`) is expected. A `V` on the right would make it invariant.

/** The key-to-value map of a schema store, or `never` for a value-typed store. */
export type SchemaOf<V> = [V] extends [Schema<infer M>] ? M : never;

/** The keys a `Store<V>` accepts: the schema's keys for `Store<Schema<M>>`, any {@link Key} otherwise. */
export type StoreKey<V> = [V] extends [Schema<infer M>] ? Extract<keyof M, string | number> : Key;

/** The value a `Store<V>` holds under `K` (by default: under any key). */
export type StoreValue<V, K = StoreKey<V>> = [V] extends [Schema<infer M>] ? (K extends keyof M ? M[K] : never) : V;

/**
 * The element type of the append log under `K`: the `E` of a schema's `AppendLog<E>` (`never` for
 * a schema key that is no log), and `unknown` on a store typed by value, which declares no logs.
 */
export type LogElement<V, K = StoreKey<V>> = [V] extends [Schema<infer M>]
  ? K extends keyof M
    ? M[K] extends AppendLog<infer E>
      ? E
      : never
    : never
  : unknown;

/** The element types of every log a `Store<V>` declares: `never` unless it is a schema store. */
export type DeclaredLogElement<V> = [V] extends [Schema<infer M>] ? { [K in keyof M]: M[K] extends AppendLog<infer E> ? E : never }[keyof M] : never;

/** A path into a `Store<V>`: a key of the store, then object fields, array indexes or Map keys. */
export type StorePath<V> = readonly [StoreKey<V>, ...(string | number)[]];

/** The value at `steps` inside a `T`; `undefined` where a step cannot exist; `unknown` inside `unknown`. */
export type ValueAt<T, Steps extends readonly unknown[]> = Steps extends readonly []
  ? T
  : Steps extends readonly [infer Step, ...infer Rest]
    ? unknown extends T
      ? unknown
      : T extends ReadonlyMap<unknown, infer MV>
        ? ValueAt<MV, Rest> | undefined
        : T extends object
          ? Step extends keyof T
            ? ValueAt<T[Step], Rest>
            : T extends readonly (infer E)[]
              ? Step extends number
                ? ValueAt<E, Rest> | undefined
                : undefined
              : undefined
          : undefined
    : unknown;

/** The value at `path` in a `Store<V>` (without the `undefined` of a missing value). */
export type PathValue<V, P extends readonly unknown[]> = P extends readonly [infer K, ...infer Steps] ? ValueAt<StoreValue<V, K>, Steps> : unknown;

/**
 * A callback's value type: the declared type `D`, narrowed by the type `T` the caller annotates.
 * On an untyped store (`D` is `unknown`) this is just `T`, so `update('n', (n: number | undefined)
 * => ...)` emits `Change<number>` (an unchecked assertion, as with `JSON.parse`); on a typed store
 * an annotation that does not overlap the declared type leaves `never`, which is a type error.
 */
export type Declared<D, T> = D & T;

/**
 * The `fn` of `update` and `updateIn`. Declared as a method so that it is checked bivariantly,
 * like every method parameter in TypeScript: that is what lets a `Store<User>` be passed where a
 * `Store` is expected, at the price of accepting a callback annotated with a narrower type.
 */
export type UpdateFn<T, A extends unknown[]> = {
  bivarianceHack(old: T | undefined, ...args: A): T;
}['bivarianceHack'];

/** The `fn` of `reduceLog`, checked bivariantly for the same reason as {@link UpdateFn}. */
export type ReduceFn<R, E> = { bivarianceHack(acc: R, elem: E): R }['bivarianceHack'];
