/** The default serializer: CBOR through cbor-x, with Date, Map, Set, BigInt and typed arrays. */
import { Encoder } from 'cbor-x';
import type { Serializer } from '../codec';

/** The header id of the CBOR serializer. */
export const CBOR_SERIALIZER_ID = 1;

/** Options of {@link cborSerializer}. */
export interface CborSerializerOptions {
  /**
   * Extra cbor-x encoder options (e.g. `structuredClone: true` to store cyclic graphs).
   * Record structures (`useRecords`) are always off: every blob must decode on its own.
   * @default {}
   */
  encoderOptions?: Record<string, unknown>;
}

/**
 * Creates the CBOR serializer (the default of every store).
 * @param options - cbor-x options
 * @returns a Serializer with id 1
 * @example
 * ```ts
 * const store = createStore(memoryBacking(), { serializer: cborSerializer() });
 * ```
 */
export function cborSerializer(options: CborSerializerOptions = {}): Serializer {
  const encoder = new Encoder({ ...options.encoderOptions, useRecords: false, mapsAsObjects: true });
  return {
    id: CBOR_SERIALIZER_ID,
    name: 'cbor',
    encode: (value) => encoder.encode(value),
    // cbor-x returns byte strings as views into its input: decode a private copy so that
    // values handed to users never alias stored bytes
    decode: (bytes) => encoder.decode(bytes.slice()),
  };
}
