/** The default serializer: CBOR through cbor-x, with Date, Map, Set, BigInt, typed arrays and custom types. */
import { Encoder, isNativeAccelerationEnabled } from 'cbor-x';

/**
 * cbor-x's encode option (its `RESET_BUFFER_MODE`, not in its typings) that writes the next
 * encoding where this one began, so its buffer is reused. A cbor-x that ignored it would encode as
 * usual; `cbor-serializer.test.ts` checks that the buffer is reused.
 */
const RESET_BUFFER_MODE = 1024;

/** cbor-x's `encode` with its second parameter, the encode options. */
interface ResettingEncoder {
  encode(value: unknown, options: number): Uint8Array;
}
import type { Serializer } from '../codec';
import { checkOptions, optionNames } from '../internal/check-options';
import { writePlain } from './internal/plain-cbor';
import { allocateBlob } from '../internal/blob-slab';
import type { CustomType } from './custom-type';
import { checkLossless } from './internal/cbor-lossless';
import { holdsNoObject, mayHoldForeignTags, unwrapTypes, wrapTypes, wrapTypesShared } from './internal/cbor-types';
import { typeTable } from './internal/type-table';

/** The header id of the CBOR serializer. */
export const CBOR_SERIALIZER_ID = 1;

/** Options of {@link cborSerializer}. */
export interface CborSerializerOptions {
  /**
   * Classes written as CBOR tags and read back as instances. Tags read without a registered
   * type come back as {@link TaggedValue}s. The list belongs to this serializer instance only.
   * @default []
   */
  types?: readonly CustomType[];
  /**
   * Extra cbor-x encoder options (e.g. `structuredClone: true` to store cyclic graphs).
   * Record structures (`useRecords`) are always off: every blob must decode on its own.
   * @default {}
   */
  encoderOptions?: Record<string, unknown>;
}

const CBOR_OPTIONS = optionNames<CborSerializerOptions>({ types: true, encoderOptions: true });

/**
 * Marks a stable value array found to hold no foreign tag: bytes never change once read (the
 * BackingStore contract), and a backing that keeps blobs in memory hands back the same array on
 * every read, so the walk over its bytes is done once per array. Only stable arrays: a fresh array
 * per read would never be asked for again. A non-enumerable property under this symbol, as
 * format/blob.ts marks blob arrays: a WeakSet entry cost every first read of a blob 0.45 µs, the
 * property 0.1 µs. One symbol for every CBOR serializer: whether bytes hold a foreign tag depends
 * on the bytes alone (a foreign tag is one cbor-x hands back as a bare Tag, whatever the options;
 * registered types are foreign too), and a symbol per serializer would add a property to the
 * same arrays for every store made over one backing.
 */
const TAG_FREE = Symbol('konserve-rx cbor: no foreign tags');
/** A value array as {@link TAG_FREE} marks it. */
type Marked = Uint8Array & { [TAG_FREE]?: true };
/** The mark's descriptor: not enumerable, not writable. */
const TAG_FREE_MARK: PropertyDescriptor = { value: true };

/**
 * Creates the CBOR serializer (id 1, the default of every store). Besides JSON's values it keeps
 * `undefined`, `Date`, `Map`, `Set`, `BigInt`, typed arrays, `RegExp`, `Error`, `NaN` and
 * infinities; other class instances are written as plain objects unless listed in `types`. An own
 * field named `__proto__` and a string with a lone surrogate cannot round-trip through CBOR: they
 * throw (a store reports `ERR_NOT_SERIALIZABLE`); the JSON serializer keeps both. Plain data is
 * written by konserve-rx's own CBOR writer, the rest (and everything once `types` or
 * `encoderOptions` is given) by cbor-x: the bytes are the same either way. Reading is cbor-x's.
 * @param options - custom types and cbor-x options
 * @returns a Serializer with id 1; errors with `ERR_INVALID_ARGUMENT` on a bad `types` entry or an unknown option
 * @example
 * ```ts
 * class Money { constructor(readonly amount: number, readonly currency: string) {} }
 * const serializer = cborSerializer({
 *   types: [{ tag: 40501, type: Money, encode: (m) => [m.amount, m.currency], decode: ([a, c]) => new Money(a, c) }],
 * });
 * const store = createStore(memoryBacking(), { serializer });
 * ```
 */
export function cborSerializer(options: CborSerializerOptions = {}): Serializer {
  checkOptions('cborSerializer', options, CBOR_OPTIONS);
  // copyBuffers: byte strings and typed arrays come back as copies, never as views into the
  // (possibly stored) input, so decoding needs no defensive copy of its input
  const encoder = new Encoder({ ...options.encoderOptions, useRecords: false, mapsAsObjects: true, copyBuffers: true });
  const table = typeTable(options.types);
  const shares = options.encoderOptions?.['structuredClone'] === true;
  // plain data is written by our own writer, byte for byte what cbor-x writes with the options
  // above (internal/plain-cbor.ts: without cbor-x's garbage); any option or type changes the bytes
  const plainFirst = table.empty && options.encoderOptions === undefined;
  return {
    id: CBOR_SERIALIZER_ID,
    name: 'cbor',
    // cbor-x falls back to plain JS (about 2.5x slower decoding) when cbor-extract was not built
    native: isNativeAccelerationEnabled,
    encode(value) {
      if (plainFirst) {
        const bytes = writePlain(value);
        if (bytes !== undefined) {
          checkLossless(value, bytes);
          // the writer reuses its buffer, and these bytes outlive the next encoding: a copy, in a
          // shared slab as cbor-x's own bytes are (an ArrayBuffer each would cost more than the saving)
          const copy = allocateBlob(bytes.length);
          copy.set(bytes);
          return copy;
        }
      }
      const encoded = table.empty ? value : shares ? wrapTypesShared(value, table) : wrapTypes(value, table);
      const bytes = encoder.encode(encoded);
      checkLossless(encoded, bytes);
      return bytes;
    },
    // the next encoding overwrites these bytes: cbor-x then needs a fresh 8 KB buffer only when a
    // value outgrows it, not every few values (about 0.1-0.3 µs per encoding of a 0.6-1 KB value)
    encodeTransient(value) {
      if (plainFirst) {
        const bytes = writePlain(value);
        if (bytes !== undefined) {
          checkLossless(value, bytes);
          return bytes;
        }
      }
      const encoded = table.empty ? value : shares ? wrapTypesShared(value, table) : wrapTypes(value, table);
      const bytes = (encoder as unknown as ResettingEncoder).encode(encoded, RESET_BUFFER_MODE);
      checkLossless(encoded, bytes);
      return bytes;
    },
    decode(bytes, stable) {
      // any Uint8Array as it is: cbor-x reads a plain view as fast as a Buffer (its strings come
      // from the native extractor either way), so wrapping it in a Buffer only cost time
      const value = encoder.decode(bytes);
      // registered tags are foreign too (cbor-x leaves them as bare Tags), so one check covers both;
      // a value with nothing nested, the common record, is settled without walking its bytes
      if (stable === true && (bytes as Marked)[TAG_FREE] === true) return value;
      if (holdsNoObject(value) || !mayHoldForeignTags(bytes)) {
        if (stable === true && Object.isExtensible(bytes)) Object.defineProperty(bytes, TAG_FREE, TAG_FREE_MARK);
        return value;
      }
      return unwrapTypes(value, table, shares ? new Map() : undefined);
    },
  };
}
