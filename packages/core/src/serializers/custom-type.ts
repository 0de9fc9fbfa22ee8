/**
 * Custom types: the counterpart of konserve's incognito handlers. A serializer given a list of
 * them writes each instance as a tag plus an encoded form and builds an instance again on read.
 */

/**
 * How one class is written and read back by the CBOR and JSON serializers.
 *
 * The same list works for both serializers: the tag is a CBOR tag number, and the JSON
 * serializer writes `{"~tag": [tag, encoded]}`.
 */
// `any` defaults let a list of differently typed entries be one CustomType[] (each entry's own
// encode/decode still check against its T and E)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface CustomType<T = any, E = any> {
  /**
   * The tag number: an integer in 0..0xffffffff that the CBOR encoding does not already use
   * (checked when the serializer is created). Pick one in 40000..57000, and never reuse a tag
   * for another class: stored data keeps it.
   */
  readonly tag: number;
  /** The class; instances (and instances of subclasses without their own entry) use this entry. */
  // any constructor signature: only `instanceof` is used
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly type: abstract new (...args: any[]) => T;
  /** Turns an instance into a serializable value (which may contain other custom types). */
  encode(value: T): E;
  /** Builds an instance from the value `encode` returned (already decoded, nested types included). */
  decode(encoded: E): T;
}

/**
 * Declares a custom type with its parameter types inferred from `type` (a typed identity function).
 * @param definition - the tag, class, and encode/decode functions
 * @returns the same definition, typed
 * @example
 * ```ts
 * class Money { constructor(readonly amount: number, readonly currency: string) {} }
 * const money = customType({
 *   tag: 40501,
 *   type: Money,
 *   encode: (m) => ({ amount: m.amount, currency: m.currency }),
 *   decode: ({ amount, currency }) => new Money(amount, currency),
 * });
 * const store = createStore(memoryBacking(), { serializer: cborSerializer({ types: [money] }) });
 * ```
 */
export function customType<T, E>(definition: {
  tag: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type: abstract new (...args: any[]) => T;
  encode: (value: T) => E;
  decode: (encoded: E) => T;
}): CustomType<T, E> {
  return definition;
}
