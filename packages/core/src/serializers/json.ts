/** A human-readable serializer: JSON text, with a tagged form for values JSON cannot hold. */
import type { Serializer } from '../codec';
import { invalidArgument } from '../errors';
import { checkOptions, optionNames } from '../internal/check-options';
import type { CustomType } from './custom-type';
import { fromJson, toJson } from './internal/json-tagged';
import { typeTable } from './internal/type-table';

/** The header id of the JSON serializer. */
export const JSON_SERIALIZER_ID = 2;

/** Options of {@link jsonSerializer}. */
export interface JsonSerializerOptions {
  /**
   * Classes written as `{"~tag": [tag, encoded]}` and read back as instances; the same list as
   * for {@link cborSerializer} works here. Tags without a registered type read back as
   * {@link TaggedValue}s. The list belongs to this serializer instance only.
   * @default []
   */
  types?: readonly CustomType[];
  /**
   * Spaces of indentation per level, 0 for compact one-line JSON (an integer in 0..10).
   * @default 0
   */
  indent?: number;
}

const JSON_OPTIONS = optionNames<JsonSerializerOptions>({ types: true, indent: true });

/**
 * Creates the JSON serializer (id 2): stored values are UTF-8 JSON that a person can read.
 * `undefined`, non-finite numbers and `-0`, `BigInt`, `Date`, `Map`, `Set`, `Uint8Array` and
 * other typed arrays, `RegExp`, `Error` and custom types are written in a tagged form such as
 * `{"~date": "2024-05-01T12:00:00.000Z"}` (see docs/format.md), so they read back as they were.
 * Functions, symbols and cyclic values fail with `ERR_NOT_SERIALIZABLE`.
 * @param options - custom types and indentation
 * @returns a Serializer with id 2; errors with `ERR_INVALID_ARGUMENT` on a bad option
 * @example
 * ```ts
 * class Money { constructor(readonly amount: number, readonly currency: string) {} }
 * const serializer = jsonSerializer({
 *   indent: 2,
 *   types: [{ tag: 40501, type: Money, encode: (m) => [m.amount, m.currency], decode: ([a, c]) => new Money(a, c) }],
 * });
 * const store = createStore(memoryBacking(), { serializer });
 * ```
 */
export function jsonSerializer(options: JsonSerializerOptions = {}): Serializer {
  checkOptions('jsonSerializer', options, JSON_OPTIONS);
  const table = typeTable(options.types);
  const indent = options.indent ?? 0;
  if (!Number.isInteger(indent) || indent < 0 || indent > 10) throw invalidArgument('jsonSerializer: `indent` must be an integer in 0..10');
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    id: JSON_SERIALIZER_ID,
    name: 'json',
    encode: (value) => encoder.encode(JSON.stringify(toJson(value, table), null, indent)),
    decode: (bytes) => fromJson(JSON.parse(decoder.decode(bytes)), table),
  };
}
