/**
 * Values every serializer must round-trip exactly (compared with toEqual), shared by the codec tests.
 * The committed fixture stores of codecs-format.test.ts hold these values: change them only
 * together with regenerated fixtures.
 */
export const SAMPLE_VALUES: Record<string, unknown> = {
  null: null,
  false: false,
  zero: 0,
  'empty string': '',
  'a negative float': -12.75,
  'a large integer': 2 ** 53 - 1,
  'a unicode string': 'Grüße, 世界 🌍',
  'an array': [1, 'two', [3, { four: 4 }]],
  'a nested object': { a: { b: { c: [true, null, 'x'] } }, 'key with spaces': 1, '': 'empty key' },
  'a Date': new Date(Date.UTC(2024, 4, 1, 12, 30, 15, 250)),
  'a Map with non-string keys': new Map<unknown, unknown>([
    [1, 'one'],
    ['two', 2],
    [true, [3]],
  ]),
  'a Set': new Set([1, 'a', 2.5]),
  'a BigInt': 12345678901234567890123n,
  'a negative BigInt': -(2n ** 80n),
  'a Uint8Array': new Uint8Array([0, 1, 127, 128, 255]),
  'an Int16Array': new Int16Array([-32768, 0, 32767]),
  'a Float32Array': new Float32Array([0.1, -2.5, 1e10]),
  'a Float64Array': new Float64Array([Math.PI, -0.5]),
  'a BigUint64Array': new BigUint64Array([0n, 2n ** 64n - 1n]),
  'a Uint8ClampedArray': new Uint8ClampedArray([0, 200]),
  'a RegExp': /^k(ey)?$/u,
  undefined: undefined,
  'a document': {
    id: 'user/1',
    created: new Date(0),
    tags: new Set(['a', 'b']),
    scores: new Map([['math', 1.5]]),
    avatar: new Uint8Array([9, 8, 7]),
    balance: 10n ** 20n,
    missing: undefined,
  },
  'a long text': 'lorem ipsum dolor sit amet '.repeat(200),
};

type Answered<F> = F extends (...args: infer A) => PromiseLike<infer R> | infer R ? (...args: A) => R : F;

/** A codec typed as Node runs the built-in ones: every method answers at once, never with a promise. */
export type InNode<C> = { [K in keyof C]: Answered<C[K]> };

/**
 * A built-in codec, typed with Node's synchronous answers (the contract allows promises, which
 * only the browser platform's gzip and AES-GCM give).
 * @param codec - a compressor or encryptor made in Node
 * @returns the same object
 */
export function inNode<C extends object>(codec: C): InNode<C> {
  return codec as InNode<C>;
}
