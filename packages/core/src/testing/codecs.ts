/**
 * The codec compliance area: values of every kind round-trip through each serializer x
 * compressor x encryptor combination, a flipped byte is detected whatever the codecs, and a store
 * configured with other codecs reads every combination back. Codecs live in core, above the bytes
 * a backend moves, so this area runs over one backend instead of the whole Store suite being
 * replayed once per combination.
 */
import { firstValueFrom, from, timeout, type ObservableInput } from 'rxjs';
import { gzipCompressor } from '../compressors/gzip';
import { aesGcmEncryptor } from '../encryptors/aes-gcm';
import { parseBlob } from '../format/blob';
import type { StoreOptions } from '../options';
import type { Store } from '../store-api';
import { CODEC_COMBINATIONS, CODEC_SAMPLE_VALUES, COMPRESSORS, Money, SERIALIZERS } from './codec-values';
import { flipByte } from './corruption';
import { type ComplianceHarness, resolveHarness } from './harness';
import { OP_TIMEOUT_MS, addedBlobId, collect, errorOf, listIds, run } from './util';

/** Options of {@link runCodecCompliance}. */
export interface CodecComplianceOptions {
  /** Name shown in describe blocks. */
  name: string;
  /**
   * Opens a store with the given codec options over the storage named `place`: the same place
   * holds the same data (one folder, one map), a place not seen before is empty.
   */
  connect: (codecs: StoreOptions, place: string) => ObservableInput<Store>;
  /**
   * The test functions to register with (another runner, a browser page).
   * @default the runner's globals
   */
  harness?: ComplianceHarness;
}

const KEY = new Uint8Array(32).fill(3);
const VALUES: Record<string, unknown> = { ...CODEC_SAMPLE_VALUES, money: new Money(9.99, 'EUR'), 'money in a map': new Map([['price', new Money(1, 'JPY')]]) };
const COMBINATIONS = CODEC_COMBINATIONS;
type Combination = (typeof COMBINATIONS)[number];

/** The store options of a combination (no undefined fields: createStore refuses unknown shapes). */
function optionsOf(c: Combination): StoreOptions {
  const compressor = c.compressor();
  return { serializer: c.serializer(), ...(compressor ? { compressor } : {}), ...(c.encrypted ? { encryptor: aesGcmEncryptor({ key: KEY }) } : {}) };
}

/** Options unlike the writer's in every codec: the other serializer, the next compressor, another key (the writer's as previous). */
function otherOptionsOf(c: Combination): StoreOptions {
  return {
    serializer: SERIALIZERS[1 - c.si]![1](),
    compressor: COMPRESSORS[(c.ci + 1) % COMPRESSORS.length]![1]() ?? gzipCompressor(),
    encryptor: aesGcmEncryptor({ key: new Uint8Array(32).fill(99), previousKeys: [KEY] }),
    readers: [c.serializer()],
    readUnencryptedForMigration: !c.encrypted,
  };
}

/**
 * Registers the codec compliance area for one backend: per codec combination, round-trips,
 * damage detection and cross-reading.
 * @param options - the suite's name and a factory of stores over named places
 * @returns nothing; registers a `describe` block named after `options.name`
 * @example
 * ```ts
 * import { createStore } from '@konserve-rx/core';
 * import { runCodecCompliance } from '@konserve-rx/core/testing';
 * import { memoryBacking } from '@konserve-rx/memory';
 * import { of } from 'rxjs';
 *
 * const maps = new Map<string, Map<string, Uint8Array>>();
 * const mapOf = (place: string) => maps.get(place) ?? maps.set(place, new Map()).get(place)!;
 * runCodecCompliance({ name: 'memory', connect: (codecs, place) => of(createStore(memoryBacking({ map: mapOf(place) }), codecs)) });
 * ```
 */
export function runCodecCompliance(options: CodecComplianceOptions): void {
  const { describe, it, expect, afterEach } = resolveHarness(options.harness);
  let opened: Store[] = [];
  let places = 0;
  const open = async (codecs: StoreOptions, place: string): Promise<Store> => {
    const store = await firstValueFrom(from(options.connect(codecs, place)).pipe(timeout(OP_TIMEOUT_MS)));
    opened.push(store);
    return store;
  };
  const close = async (store: Store): Promise<void> => {
    opened = opened.filter((s) => s !== store);
    await collect(store.close());
  };

  describe(`${options.name}: codec compliance`, () => {
    afterEach(async () => {
      const left = opened;
      opened = [];
      for (const store of left) await collect(store.close());
    });

    for (const c of COMBINATIONS) {
      describe(c.name, () => {
        it('round-trips every kind of value through get, multiGet, getIn and log, and records its codecs in each blob', async () => {
          const store = await open(optionsOf(c), `codecs-${places++}`);
          for (const [k, v] of Object.entries(VALUES)) await run(store.assoc(k, v));
          for (const [k, v] of Object.entries(VALUES)) expect([k, await run(store.get(k))]).toEqual([k, v]);
          expect(await run(store.multiGet(Object.keys(VALUES)))).toEqual(new Map(Object.entries(VALUES)));
          expect(await run(store.get('money'))).toBeInstanceOf(Money);
          await run(store.assocIn(['doc', 'inner'], VALUES['a document']));
          expect(await run(store.getIn(['doc', 'inner', 'scores']))).toEqual(new Map([['math', 1.5]]));
          for (const v of [VALUES['a Date'], VALUES['money'], VALUES['a BigInt']]) await run(store.append('log', v));
          expect(await collect(store.log('log'))).toEqual([VALUES['a Date'], VALUES['money'], VALUES['a BigInt']]);

          const codecs = optionsOf(c);
          const expected = `${codecs.serializer!.id}/${codecs.compressor?.id ?? 0}/${codecs.encryptor?.id ?? 0}`;
          for (const id of await listIds(store.backing)) {
            const header = parseBlob((await store.backing.read(id))!, id);
            expect([id, `${header.serializer}/${header.compressor}/${header.encryptor}`]).toEqual([id, expected]);
          }
        });

        it('is read back, every value and log element, by a store configured with other codecs', async () => {
          const place = `codecs-${places++}`;
          const writer = await open(optionsOf(c), place);
          await run(writer.multiAssoc(Object.entries(VALUES)));
          await run(writer.append('log', VALUES['money']));
          await close(writer);

          const reader = await open(otherOptionsOf(c), place);
          const back = await run(reader.multiGet(Object.keys(VALUES)));
          for (const [k, v] of Object.entries(VALUES)) expect([k, back.get(k)]).toEqual([k, v]);
          expect(await collect(reader.log('log'))).toEqual([VALUES['money']]);
          await run(reader.assoc('new', VALUES['a Set']));
          expect(await run(reader.get('new'))).toEqual(VALUES['a Set']);
        });

        it('fails with ERR_CORRUPT naming the key when a byte of its value flips; other keys still read', async () => {
          const store = await open(optionsOf(c), `codecs-${places++}`);
          const victim = { doc: 'victim' };
          const id = await addedBlobId(store, () => run(store.assoc(victim, VALUES['a document'])));
          await run(store.assoc('bystander', VALUES['a long text']));
          for (const position of [(size: number) => size - 1, (size: number) => size - 9]) {
            const original = await flipByte(store.backing, id, position);
            expect(await errorOf(store.get(victim))).toMatchObject({ code: 'ERR_CORRUPT', key: victim });
            expect(await run(store.get('bystander'))).toEqual(VALUES['a long text']);
            await store.backing.write(id, original);
          }
          expect(await run(store.get(victim))).toEqual(VALUES['a document']);
        });
      });
    }
  });
}
