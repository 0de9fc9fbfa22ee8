/**
 * What the codec compliance area writes: values every serializer must round-trip exactly (compared
 * with toEqual), a custom type, and every serializer x compressor x encryptor combination.
 * The committed fixture stores of codecs-format.test.ts hold the sample values: change them only
 * together with regenerated fixtures.
 */
import type { Compressor, Serializer } from '../codec';
import { brotliCompressor } from '../compressors/brotli';
import { gzipCompressor } from '../compressors/gzip';
import { lz4Compressor } from '../compressors/lz4';
import { cborSerializer } from '../serializers/cbor';
import type { CustomType } from '../serializers/custom-type';
import { jsonSerializer } from '../serializers/json';

/** A user class stored through a custom type (tag 40501). */
export class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}

/** The custom type of {@link Money}. */
export const MONEY: CustomType<Money, [number, string]> = {
  tag: 40501,
  type: Money,
  encode: (m) => [m.amount, m.currency],
  decode: ([a, c]) => new Money(a, c),
};

/** The serializers, each knowing {@link MONEY}. */
export const SERIALIZERS: readonly [string, () => Serializer][] = [
  ['cbor', () => cborSerializer({ types: [MONEY] })],
  ['json', () => jsonSerializer({ types: [MONEY] })],
];

/** No compressor, then each built-in one. */
export const COMPRESSORS: readonly [string, () => Compressor | undefined][] = [
  ['none', () => undefined],
  ['gzip', gzipCompressor],
  ['brotli', brotliCompressor],
  ['lz4', lz4Compressor],
];

/** Every serializer x compressor x (plain | encrypted), with the indexes that pick "other" codecs. */
export const CODEC_COMBINATIONS = SERIALIZERS.flatMap(([s, serializer], si) =>
  COMPRESSORS.flatMap(([c, compressor], ci) =>
    [false, true].map((encrypted) => ({ name: `${s}+${c}+${encrypted ? 'aes-256-gcm' : 'plain'}`, si, ci, serializer, compressor, encrypted })),
  ),
);

/** Sample values of every kind each serializer keeps. */
export const CODEC_SAMPLE_VALUES: Record<string, unknown> = {
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
