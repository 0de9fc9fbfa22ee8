/**
 * The stored format stays readable: docs/format.md's example blob is exactly what the code writes,
 * and committed fixture stores written with every serializer x compressor x encryptor by each
 * format version (1, 2) read back in full (values, metadata, a binary and an append log).
 * Write the fixtures of a new format version (never overwrite an older one):
 * `KONSERVE_WRITE_FIXTURES=1 npx jest packages/core/test/codecs-format`.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  aesGcmEncryptor,
  brotliCompressor,
  cborSerializer,
  createStore,
  FORMAT_VERSION,
  gzipCompressor,
  jsonSerializer,
  lz4Compressor,
  type Compressor,
  type CustomType,
  type Serializer,
  type StoreOptions,
} from '../src';
import { keyRef } from '../src/format/key';
import { CODEC_SAMPLE_VALUES as SAMPLE_VALUES } from '../src/testing/codec-values';
import { referenceBacking } from '../src/testing/reference-backing';

const fixturesPath = (version: number): string => join(__dirname, 'fixtures', `codecs-v${version}.json`);
const DOC = join(__dirname, '..', '..', '..', 'docs', 'format.md');
const WRITTEN_AT = Date.UTC(2024, 0, 1);
/** The fixtures' AES key: bytes 0..31. */
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}
const MONEY: CustomType<Money, [number, string]> = { tag: 40501, type: Money, encode: (m) => [m.amount, m.currency], decode: ([a, c]) => new Money(a, c) };

const DOCUMENT = { ...(SAMPLE_VALUES['a document'] as object), price: new Money(9.5, 'EUR'), samples: SAMPLE_VALUES };
const BINARY = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
const LOG = ['first', { second: new Date(2) }, 3n];

const SERIALIZERS: Record<string, () => Serializer> = { cbor: () => cborSerializer({ types: [MONEY] }), json: () => jsonSerializer({ types: [MONEY] }) };
const COMPRESSORS: Record<string, () => Compressor | undefined> = { none: () => undefined, gzip: gzipCompressor, brotli: brotliCompressor, lz4: lz4Compressor };
const ENCRYPTED = { plain: false, aes: true };
const COMBINATIONS = Object.keys(SERIALIZERS).flatMap((s) => Object.keys(COMPRESSORS).flatMap((c) => Object.keys(ENCRYPTED).map((e) => `${s}+${c}+${e}`)));

type FixtureFile = Record<string, Record<string, string>>;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

function optionsOf(combination: string): StoreOptions {
  const [s, c, e] = combination.split('+') as [string, string, keyof typeof ENCRYPTED];
  const compressor = COMPRESSORS[c]!();
  return {
    serializer: SERIALIZERS[s]!(),
    ...(compressor ? { compressor } : {}),
    ...(ENCRYPTED[e] ? { encryptor: aesGcmEncryptor({ key: KEY }) } : {}),
    now: () => WRITTEN_AT,
  };
}

async function writeFixture(combination: string): Promise<Record<string, string>> {
  const map = new Map<string, Uint8Array>();
  const store = createStore(referenceBacking({ map }), optionsOf(combination));
  await firstValueFrom(store.assoc('doc', DOCUMENT, { meta: { author: 'fixture' } }));
  await firstValueFrom(store.bassoc('bin', BINARY));
  for (const elem of LOG) await firstValueFrom(store.append('log', elem));
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([id, bytes]) => [id, hex(bytes)]));
}

/** The bytes of the ```text example block under "### Example" in docs/format.md. */
function docExample(): { id: string; bytes: Uint8Array } {
  const doc = readFileSync(DOC, 'utf8');
  const section = doc.slice(doc.indexOf('### Example'));
  const id = /`([0-9a-f]{64})`/.exec(section)![1]!;
  const block = section.slice(section.indexOf('```text') + 7, section.indexOf('```', section.indexOf('```text') + 7));
  let bytes = '';
  for (const line of block.split('\n')) {
    const row = /^(\d+)\s+((?:[0-9a-f]{2} )*[0-9a-f]{2})\s{2,}/.exec(line);
    if (row === null) continue;
    expect([line, Number(row[1])]).toEqual([line, bytes.length / 2]); // the offsets column is right
    bytes += row[2]!.replace(/ /g, '');
  }
  return { id, bytes: unhex(bytes) };
}

describe('docs/format.md', () => {
  it('shows, byte for byte, the blob this version writes for its example', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(createStore(referenceBacking({ map }), { now: () => WRITTEN_AT }).assoc('greeting', { hello: 'world', n: 1 }));
    const { id, bytes } = docExample();
    expect(id).toBe(keyRef('greeting').id);
    expect([...map.keys()]).toEqual([id]);
    expect(hex(map.get(id)!)).toBe(hex(bytes));
  });
});

describe.each([1, 2])('committed fixtures (format version %i)', (version) => {
  if (process.env['KONSERVE_WRITE_FIXTURES'] === '1') {
    if (version !== FORMAT_VERSION) return;
    it('writes the fixture file of the current version', async () => {
      const out: FixtureFile = {};
      for (const c of COMBINATIONS) out[c] = await writeFixture(c);
      writeFileSync(fixturesPath(version), `${JSON.stringify(out, null, 1)}\n`);
    });
    return;
  }
  const fixtures = JSON.parse(readFileSync(fixturesPath(version), 'utf8')) as FixtureFile;

  it('is pinned: every blob is of this version', () => {
    for (const blobs of Object.values(fixtures)) for (const hex of Object.values(blobs)) expect(hex.slice(8, 10)).toBe(`0${version}`);
  });

  it('covers every serializer x compressor x encryptor', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...COMBINATIONS].sort());
  });

  it.each(COMBINATIONS)('%s reads back in full', async (combination) => {
    const map = new Map(Object.entries(fixtures[combination]!).map(([id, h]) => [id, unhex(h)]));
    // read through a store that writes with other settings, as an upgraded app would (one that
    // turned encryption on reads the unencrypted stores as a migration)
    const store = createStore(referenceBacking({ map }), {
      compressor: gzipCompressor(),
      encryptor: aesGcmEncryptor({ key: new Uint8Array(32).fill(1), previousKeys: [KEY] }),
      readers: [cborSerializer({ types: [MONEY] }), jsonSerializer({ types: [MONEY] })],
      readUnencryptedForMigration: combination.endsWith('+plain'),
    });
    expect(await firstValueFrom(store.get('doc'))).toEqual(DOCUMENT);
    expect(await firstValueFrom(store.getMeta('doc'))).toEqual({ key: 'doc', type: 'value', lastWrite: new Date(WRITTEN_AT), author: 'fixture' });
    expect(await firstValueFrom(store.bget('bin', (b) => b.bytes()))).toEqual(BINARY);
    expect(await lastValueFrom(store.log('log').pipe(toArray()))).toEqual(LOG);
    expect((await lastValueFrom(store.keys().pipe(toArray()))).map((m) => m.key).sort()).toEqual(['bin', 'doc', 'log']);
  });
});
