/**
 * The CBOR and JSON serializers on their own: every supported kind of value round-trips, custom
 * types are per serializer instance, unknown tags read back as TaggedValue, the JSON text has the
 * documented tagged form, and unencodable values throw (which the store reports as ERR_NOT_SERIALIZABLE).
 */
import { describe, expect, it } from '@jest/globals';
import { Encoder, Tag } from 'cbor-x';
import { cborSerializer, customType, jsonSerializer, TaggedValue, type CustomType, type Serializer } from '../src';
import { holdsNoObject, mayHoldForeignTags } from '../src/serializers/internal/cbor-types';
import { CODEC_SAMPLE_VALUES as SAMPLE_VALUES } from '../src/testing/codec-values';

class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const MONEY: CustomType<Money, [number, string]> = { tag: 40501, type: Money, encode: (m) => [m.amount, m.currency], decode: ([a, c]) => new Money(a, c) };
const POINT = customType({ tag: 40502, type: Point, encode: (p) => ({ x: p.x, y: p.y }), decode: ({ x, y }) => new Point(x, y) });

const FACTORIES: [string, (types?: CustomType[]) => Serializer][] = [
  ['cbor', (types) => cborSerializer(types ? { types } : {})],
  ['json', (types) => jsonSerializer(types ? { types } : {})],
];
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe.each(FACTORIES)('%s serializer', (name, make) => {
  const plain = make();
  const typed = make([MONEY, POINT]);
  const roundTrip = (s: Serializer, v: unknown): unknown => s.decode(s.encode(v));

  it.each(Object.entries(SAMPLE_VALUES))('round-trips %s', (_label, value) => {
    expect(roundTrip(plain, value)).toEqual(value);
    expect(roundTrip(typed, value)).toEqual(value);
  });

  it('keeps NaN, infinities and undefined fields', () => {
    const back = roundTrip(plain, { n: NaN, i: -Infinity, u: undefined, a: [undefined, 1] }) as Record<string, unknown>;
    expect(back.n).toBeNaN();
    expect(back.i).toBe(-Infinity);
    expect('u' in back).toBe(true);
    expect(back.a).toEqual([undefined, 1]);
  });

  it('reads registered custom types back as instances, nested anywhere', () => {
    const value = {
      price: new Money(12.5, 'EUR'),
      list: [new Point(1, 2)],
      byPoint: new Map([[new Point(0, 0), new Money(1, 'USD')]]),
      set: new Set([new Money(2, 'CHF')]),
    };
    const back = roundTrip(typed, value) as typeof value;
    expect(back).toEqual(value);
    expect(back.price).toBeInstanceOf(Money);
    expect(back.list[0]).toBeInstanceOf(Point);
    const [k, v] = [...back.byPoint][0]!;
    expect(k).toBeInstanceOf(Point);
    expect(v).toBeInstanceOf(Money);
    expect([...back.set][0]).toBeInstanceOf(Money);
  });

  it('decodes the contents of a custom type before calling its decode (types inside types)', () => {
    class Box {
      constructor(readonly inner: unknown) {}
    }
    const box: CustomType<Box, unknown> = { tag: 40503, type: Box, encode: (b) => b.inner, decode: (inner) => new Box(inner) };
    const s = make([MONEY, box]);
    const back = roundTrip(s, new Box([new Money(1, 'EUR'), new Date(7)])) as Box;
    expect(back).toBeInstanceOf(Box);
    expect((back.inner as unknown[])[0]).toBeInstanceOf(Money);
    expect((back.inner as unknown[])[1]).toEqual(new Date(7));
  });

  it('keeps types per instance: a serializer without the type reads a TaggedValue, and writes it back unchanged', () => {
    const bytes = typed.encode({ price: new Money(3, 'EUR') });
    const unknown = plain.decode(bytes) as { price: TaggedValue };
    expect(unknown.price).toBeInstanceOf(TaggedValue);
    expect(unknown.price).toMatchObject({ tag: 40501, value: [3, 'EUR'] });
    // an unrelated instance is untouched by another serializer's registration
    expect(plain.decode(plain.encode(new Money(1, 'X')))).not.toBeInstanceOf(Money);
    // copying through the unaware serializer keeps the tag, so the aware one still reads a Money
    expect(typed.decode(plain.encode(unknown))).toEqual({ price: new Money(3, 'EUR') });
  });

  it('never modifies the value it encodes', () => {
    const deepFreeze = <T>(v: T): T => {
      if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) deepFreeze(x);
      return Object.freeze(v);
    };
    const value = deepFreeze({ a: [new Money(1, 'EUR'), { b: new Point(1, 2) }], c: 'plain', d: [1, 2] });
    expect(roundTrip(typed, value)).toEqual(value);
    expect(value.a[0]).toBeInstanceOf(Money);
  });

  it('matches a subclass with its registered superclass', () => {
    class Euro extends Money {
      constructor(amount: number) {
        super(amount, 'EUR');
      }
    }
    expect(roundTrip(typed, new Euro(5))).toEqual(new Money(5, 'EUR'));
  });

  it.each([
    ['a function', () => 1],
    ['a function field', { f: () => 1 }],
    ['a symbol', Symbol('s')],
    ['a symbol in an array', [Symbol('s')]],
  ])('throws on %s', (_label, value) => {
    expect(() => plain.encode(value)).toThrow();
    expect(() => typed.encode(value)).toThrow();
  });

  it('throws on a cyclic value', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => plain.encode(cyclic)).toThrow();
    expect(() => typed.encode(cyclic)).toThrow();
  });

  it.each([
    ['a tag CBOR uses for dates', { ...MONEY, tag: 1 }],
    ['a tag CBOR uses for sets', { ...MONEY, tag: 258 }],
    ['a negative tag', { ...MONEY, tag: -1 }],
    ['a fractional tag', { ...MONEY, tag: 40501.5 }],
    ['a tag above 32 bits', { ...MONEY, tag: 2 ** 32 }],
    ['a missing decode', { tag: 40501, type: Money, encode: () => 1 }],
    ['a non-class type', { ...MONEY, type: 'Money' }],
  ])('rejects a custom type with %s (ERR_INVALID_ARGUMENT)', (_label, bad) => {
    expect(() => make([bad as unknown as CustomType])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('rejects a tag or class registered twice', () => {
    expect(() => make([MONEY, { ...POINT, tag: MONEY.tag }])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => make([MONEY, { ...MONEY, tag: 40999 }])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it(`is named ${name}`, () => {
    expect(plain.name).toBe(name);
    expect(plain.id).toBe(name === 'cbor' ? 1 : 2);
  });
});

describe('cbor serializer', () => {
  it('stores cyclic graphs with custom types when structuredClone is on', () => {
    const s = cborSerializer({ types: [MONEY], encoderOptions: { structuredClone: true } });
    const shared = new Money(1, 'EUR');
    const graph: Record<string, unknown> = { a: shared, b: shared };
    graph.self = graph;
    const back = s.decode(s.encode(graph)) as Record<string, unknown>;
    expect(back.self).toBe(back);
    expect(back.a).toBeInstanceOf(Money);
    expect(back.b).toBe(back.a);
  });

  it('returns byte arrays that do not alias the input', () => {
    const s = cborSerializer();
    const bytes = s.encode({ b: new Uint8Array([1, 2, 3]) });
    const back = s.decode(bytes) as { b: Uint8Array };
    back.b[0] = 99;
    expect(s.decode(bytes)).toEqual({ b: new Uint8Array([1, 2, 3]) });
  });

  it('decodes a stable array the same on every read: custom types each time, plain values fresh each time, the bytes unchanged, one mark for any number of serializers', () => {
    const s = cborSerializer({ types: [MONEY] });
    const typedBytes = s.encode({ nested: { price: new Money(3, 'EUR') } });
    // a plain array, as a backing keeps it
    const plainBytes = Uint8Array.from(s.encode({ nested: { n: 1 }, list: [1, 'a'] }));
    const plainCopy = Uint8Array.from(plainBytes);
    for (let read = 0; read < 3; read++) {
      expect((s.decode(typedBytes, true) as { nested: { price: unknown } }).nested.price).toBeInstanceOf(Money);
      const back = s.decode(plainBytes, true) as { nested: { n: number } };
      expect(back).toEqual({ nested: { n: 1 }, list: [1, 'a'] });
      back.nested.n = 2;
    }
    expect(Uint8Array.from(plainBytes)).toEqual(plainCopy);
    // every store over one backing has a serializer of its own: the same arrays gain one mark in all
    for (let store = 0; store < 20; store++) cborSerializer().decode(plainBytes, true);
    expect(Object.getOwnPropertySymbols(plainBytes)).toHaveLength(1);
    // a serializer without the type reads the tag as foreign, and the one with it still gets its type
    expect((cborSerializer().decode(typedBytes, true) as { nested: { price: unknown } }).nested.price).not.toBeInstanceOf(Money);
    expect((s.decode(typedBytes, true) as { nested: { price: unknown } }).nested.price).toBeInstanceOf(Money);
  });
});

describe('json serializer', () => {
  const json = jsonSerializer({ types: [MONEY] });
  const encoded = (v: unknown): unknown => JSON.parse(text(json.encode(v)));

  it.each([
    ['undefined', undefined, { '~undefined': null }],
    ['NaN', NaN, { '~number': 'NaN' }],
    ['Infinity', Infinity, { '~number': 'Infinity' }],
    ['-Infinity', -Infinity, { '~number': '-Infinity' }],
    ['-0', -0, { '~number': '-0' }],
    ['a BigInt', 2n ** 70n, { '~bigint': '1180591620717411303424' }],
    ['a Date', new Date(Date.UTC(2024, 4, 1, 12)), { '~date': '2024-05-01T12:00:00.000Z' }],
    ['an invalid Date', new Date(NaN), { '~date': null }],
    [
      'a Map',
      new Map<unknown, unknown>([
        ['a', 1],
        [2, 'b'],
      ]),
      {
        '~map': [
          ['a', 1],
          [2, 'b'],
        ],
      },
    ],
    ['a Set', new Set([1, 'x']), { '~set': [1, 'x'] }],
    ['a Uint8Array', new Uint8Array([1, 2, 255]), { '~bytes': 'AQL/' }],
    ['a Float64Array', new Float64Array([1.5, NaN]), { '~Float64Array': [1.5, 'NaN'] }],
    ['a BigInt64Array', new BigInt64Array([-1n]), { '~BigInt64Array': ['-1'] }],
    ['a RegExp', /a+b/gi, { '~regexp': ['a+b', 'gi'] }],
    ['an Error', new RangeError('too big'), { '~error': ['RangeError', 'too big'] }],
    ['a custom type', new Money(1.5, 'EUR'), { '~tag': [40501, [1.5, 'EUR']] }],
    ['a TaggedValue', new TaggedValue(40999, { a: 1 }), { '~tag': [40999, { a: 1 }] }],
    ['a one-key object whose key starts with ~', { '~date': 'not a date' }, { '~object': { '~date': 'not a date' } }],
    ['a two-key object with ~ keys', { '~a': 1, '~b': 2 }, { '~a': 1, '~b': 2 }],
  ])('writes %s in the documented tagged form', (_label, value, form) => {
    expect(encoded(value)).toEqual(form);
    const back = json.decode(json.encode(value));
    if (value instanceof Date && Number.isNaN(value.getTime())) expect((back as Date).getTime()).toBeNaN();
    else expect(back).toEqual(value);
  });

  it('writes readable, optionally indented JSON', () => {
    expect(text(jsonSerializer().encode({ name: 'Ada', born: new Date(Date.UTC(1815, 11, 10)) }))).toBe(
      '{"name":"Ada","born":{"~date":"1815-12-10T00:00:00.000Z"}}',
    );
    expect(text(jsonSerializer({ indent: 2 }).encode({ a: [1] }))).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it('keeps a __proto__ field as a field', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const back = json.decode(json.encode(value)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a tagged form it does not know (from a newer version) as a plain object', () => {
    expect(json.decode(new TextEncoder().encode('{"~future":[1,{"~date":"1970-01-01T00:00:00.000Z"}]}'))).toEqual({ '~future': [1, new Date(0)] });
  });

  it('reads an Error with an unknown name as an Error carrying that name, never looking up globals', () => {
    const back = json.decode(new TextEncoder().encode('{"~error":["Function","return 1"]}')) as Error;
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe('Function');
    expect(back.message).toBe('return 1');
  });

  it.each([
    ['a date that is not a string', '{"~date":5}'],
    ['a map that is not a list of pairs', '{"~map":[1]}'],
    ['a bad number', '{"~number":"many"}'],
    ['a bad bigint', '{"~bigint":"1.5"}'],
    ['a tag without a number', '{"~tag":["x",1]}'],
    ['invalid UTF-8', new Uint8Array([0x22, 0xff, 0x22])],
    ['not JSON', 'nope'],
  ])('throws when reading %s', (_label, input) => {
    expect(() => json.decode(typeof input === 'string' ? new TextEncoder().encode(input) : input)).toThrow();
  });

  it('rejects a bad indent (ERR_INVALID_ARGUMENT)', () => {
    expect(() => jsonSerializer({ indent: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => jsonSerializer({ indent: 1.5 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('the CBOR pre-check that skips the decode walk', () => {
  const raw = new Encoder({ useRecords: false, mapsAsObjects: true });
  const holdsTag = (v: unknown, depth = 0): boolean =>
    v instanceof Tag || (depth < 4 && typeof v === 'object' && v !== null && Object.values(v).some((x) => holdsTag(x, depth + 1)));

  it('never misses a tag that cbor-x leaves undecoded (tags 0..70000 and large ones)', () => {
    const large = [0xdff8, 0x10000, 0x53687264, 0xfffffffe, 2 ** 32 - 1];
    const tags = [...Array.from({ length: 70001 }, (_, i) => i), ...large];
    const missed: number[] = [];
    for (const tag of tags) {
      let decoded: unknown;
      try {
        decoded = raw.decode(raw.encode([new Tag(['x', 1], tag)]));
      } catch {
        continue; // cbor-x cannot decode it at all: the store reports ERR_CORRUPT either way
      }
      if (holdsTag(decoded) && !mayHoldForeignTags(raw.encode([new Tag(['x', 1], tag)]))) missed.push(tag);
    }
    expect(missed).toEqual([]);
  });

  it('lets common values skip the walk', () => {
    const s = cborSerializer();
    expect(
      mayHoldForeignTags(
        s.encode({ name: 'Ada', at: new Date(Date.UTC(2024, 0, 1)), tags: new Set(['a']), m: new Map([[1, 2]]), big: 2n ** 70n, f: new Float64Array([1]) }),
      ),
    ).toBe(false);
    expect(mayHoldForeignTags(s.encode({ t: new TaggedValue(40501, 1) }))).toBe(true);
    // text is skipped by length, so UTF-8 lead bytes (0xc4..0xdb) never look like tags
    expect(mayHoldForeignTags(s.encode({ name: 'Ärger über Čapek, Ωμέγα, Київ', bytes: new Uint8Array([0xd8, 0xd9, 0xda]) }))).toBe(false);
    expect(mayHoldForeignTags(s.encode(['ü'.repeat(300), { deep: [new TaggedValue(77777, 'x')] }]))).toBe(true);
  });

  it('settles flat values without the walk, and still finds tags at the root or one level down', () => {
    expect([1, 'a', null, undefined, 2n, { a: 1, b: 'x', c: null }, [1, 'b', undefined]].map(holdsNoObject)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([{ a: {} }, [[1]], new Map(), new Tag(1, 40501), { d: new Date(0) }, Object.create(null)].map(holdsNoObject)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    const s = cborSerializer({ types: [MONEY] });
    for (const value of [
      new Money(1, 'EUR'),
      [new Money(2, 'USD'), 3],
      { a: 1, m: new Money(3, 'CHF') },
      new TaggedValue(77777, 'x'),
      [1, new TaggedValue(77778, [2])],
    ]) {
      expect(s.decode(s.encode(value))).toStrictEqual(value);
    }
  });
});
