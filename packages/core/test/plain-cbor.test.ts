/**
 * The default serializer writes plain data with its own CBOR writer (serializers/internal/
 * plain-cbor.ts) instead of cbor-x, for speed. A reader must not be able to tell: for every value,
 * `encodeTransient` gives exactly the bytes cbor-x gives, or the same error. The reference is the
 * same serializer with `encoderOptions: {}`, which always goes through cbor-x (same cbor-x options).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cborSerializer } from '../src';

const fast = cborSerializer();
const viaCborX = cborSerializer({ encoderOptions: {} });

/** The bytes in hex (a copy: transient ones are overwritten by the next encoding), or the error message. */
function outcome(encode: (v: unknown) => Uint8Array, value: unknown): string {
  try {
    return Buffer.from(encode(value)).toString('hex');
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function expectSameBytes(value: unknown): void {
  const ours = outcome((v) => fast.encodeTransient!(v), value);
  expect(ours).toEqual(outcome((v) => viaCborX.encodeTransient!(v), value));
  expect(ours).toEqual(outcome((v) => viaCborX.encode(v), value));
  expect(outcome((v) => fast.encode(v), value)).toEqual(ours);
}

/** Any UTF-16 units, lone surrogates included. */
const anyUnits = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength }).map((units) => String.fromCharCode(...units));

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 80 }), anyUnits(90), fc.string({ unit: 'grapheme', minLength: 60, maxLength: 300 }));
const number = fc.oneof(
  fc.integer(),
  fc.integer({ min: -0x1_0000_0001, max: 0x1_0000_0001 }),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    23,
    24,
    255,
    256,
    65535,
    65536,
    2 ** 32 - 1,
    2 ** 32,
    -24,
    -25,
    -256,
    -257,
    -65536,
    -65537,
    -(2 ** 31),
    -(2 ** 32),
    -(2 ** 32) - 1,
    2 ** 53,
    NaN,
    Infinity,
    -Infinity,
  ),
);
const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.constant(undefined));
const { value: plainValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 30 }),
  object: fc.dictionary(fc.oneof(fc.string(), anyUnits(8), fc.nat().map(String)), tie('value'), { maxKeys: 30 }),
}));

describe('the default serializer writes plain data byte for byte as cbor-x does', () => {
  // first in this file, while the writer's buffer has its first size (8 KiB): a string whose CBOR
  // head must grow (its UTF-8 bytes pass a bound its UTF-16 length did not) moves its bytes right,
  // and at the very end of the buffer that move needs room the length estimate did not ask for
  it('when a string whose head grows ends exactly at the end of the buffer', () => {
    // booleans fill the buffer one byte at a time, so some count ends the string at its last byte
    // (it failed with "Invalid typed array length: 8193" when the writer reserved the shorter head)
    for (const [units, char] of [
      [8, '✓'],
      [12, 'é'],
      [90, '✓'],
      [130, 'é'],
    ] as const) {
      for (let fill = 7800; fill < 8200; fill++) expectSameBytes([...Array<boolean>(fill).fill(true), char.repeat(units)]);
    }
  });

  it('for random plain values: nested objects and arrays, any strings (lone surrogates too), any numbers', () => {
    fc.assert(
      fc.property(plainValue, (value) => expectSameBytes(value)),
      { numRuns: 3000, seed: 20261203 },
    );
  });

  it('at every length where a CBOR head grows: strings by bytes and by UTF-16 units, arrays, maps', () => {
    for (const n of [0, 1, 23, 24, 25, 31, 32, 63, 64, 65, 255, 256, 257, 65535, 65536, 70000]) {
      expectSameBytes('a'.repeat(n));
      // two bytes per unit: the head sized by units is too short once the bytes pass a bound
      expectSameBytes('é'.repeat(n));
      expectSameBytes('✓'.repeat(Math.min(n, 30000)));
      expectSameBytes('𝄞'.repeat(Math.min(n, 20000)));
      if (n <= 65536) expectSameBytes(Array.from({ length: n }, (_, i) => i));
      if (n <= 70000) expectSameBytes(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
    }
  });

  it('for the shapes where for...in and cbor-x differ from a plain walk: keys it finds, and keys it skips', () => {
    const withInherited = Object.create({ inherited: 1 }) as Record<string, unknown>;
    withInherited['own'] = 2;
    const getters = {
      get a() {
        return [1, 2];
      },
      b: 'x',
    };
    const hidden = Object.defineProperty({ shown: 1 }, 'hidden', { value: 2, enumerable: false });
    for (const value of [
      withInherited,
      getters,
      hidden,
      { 2: 'two', 1: 'one', b: 'b', a: 'a', [-1]: 'minus' },
      { hasOwnProperty: 5, x: 1 },
      { constructor: 'not a function', x: 1 },
      { constructor: Object, x: 1 },
      [1, , 3], // eslint-disable-line no-sparse-arrays
      Object.assign([1, 2], { extra: 'ignored' }),
      { [Symbol('s')]: 1, visible: true },
      { a: 'lone \ud800 surrogate' },
      { a: `long ${'x'.repeat(80)} lone \udc00 surrogate` },
      { __proto__: null, a: 1 },
    ]) {
      expectSameBytes(value);
    }
  });

  it('hands whatever is not plain data to cbor-x: same bytes, same errors', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const deep: unknown[] = [];
    let cursor = deep;
    for (let i = 0; i < 400; i++) cursor.push((cursor = []));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    for (const value of [
      new Date(0),
      { when: new Date(1_700_000_000_000), tags: new Set(['a']) },
      new Map<unknown, unknown>([
        ['a', 1],
        [2, 'b'],
      ]),
      Uint8Array.of(1, 2, 3),
      { bytes: new Float64Array([1.5, 2.5]) },
      { big: 12345678901234567890n },
      new Point(1, 2),
      [new Point(3, 4)],
      Object.assign(Object.create(null) as object, { a: 1 }),
      { f: () => 1 },
      Symbol('alone'),
      deep,
      cyclic,
    ]) {
      expectSameBytes(value);
    }
  });

  it("encode's bytes are the caller's to keep: later encodings do not change them (transient ones are reused)", () => {
    const kept = [0, 1, 2].map((i) => ({ value: { i, text: `value ${i} `.repeat(20) }, bytes: fast.encode({ i, text: `value ${i} `.repeat(20) }) }));
    const transient = fast.encodeTransient!({ other: 'x'.repeat(500) });
    const before = Buffer.from(transient).toString('hex');
    fast.encodeTransient!({ overwrite: 'y'.repeat(500) });
    for (const { value, bytes } of kept) expect(fast.decode(bytes)).toEqual(value);
    // the transient bytes were overwritten in place: that is the contract, and why encode copies
    expect(Buffer.from(transient).toString('hex')).not.toBe(before);
  });

  it('a getter that encodes another value meanwhile does not disturb the value being written', () => {
    const inner = { note: 'written by a getter', n: [1, 2, 3] };
    const value = {
      before: 'x'.repeat(40),
      get during() {
        return fast.decode(fast.encode(inner));
      },
      after: 'y'.repeat(40),
    };
    const plain = { before: 'x'.repeat(40), during: inner, after: 'y'.repeat(40) };
    expect(fast.decode(fast.encode(value))).toEqual(plain);
    expect(fast.decode(fast.encodeTransient!(value).slice())).toEqual(plain);
  });

  it('reads back what it wrote through the serializer', () => {
    const value = { id: 7, name: 'Ada', tags: ['a', 'é', '𝄞'], nested: { ok: true, none: null, ratio: -0.5, big: 2 ** 40, neg: -(2 ** 33) } };
    expect(fast.decode(fast.encodeTransient!(value).slice())).toEqual(value);
  });
});
