/**
 * Format version 3: a blob that expires records `expiresAt` in its meta and is written as version 3,
 * so a reader of versions 1-2 fails on it with ERR_FORMAT instead of serving an expired value;
 * every other blob stays version 2. The committed fixture (`fixtures/format-v3.json`) must stay
 * readable, and today's code must write exactly its bytes. Rewrite it (only for a deliberate
 * format change) with UPDATE_FIXTURES=1.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createStore, EXPIRING_FORMAT_VERSION, FORMAT_VERSION, type Store } from '../src';
import { encodeBlob, headLength } from '../src/format/blob';
import { encodeMeta } from '../src/format/meta';
import { referenceBacking } from '../src/testing/reference-backing';

const FIXTURE = join(__dirname, 'fixtures', 'format-v3.json');
const WRITTEN_AT = Date.UTC(2026, 11, 3, 6, 0, 0);
const TTL = 60_000;

async function writeAll(store: Store): Promise<void> {
  await firstValueFrom(store.assoc('session', { user: 'ada' }, { ttl: TTL, meta: { source: 'fixture' } }));
  await firstValueFrom(store.bassoc('upload', new Uint8Array([1, 2, 3]), { ttl: TTL }));
  await firstValueFrom(store.assoc('forever', 'stays'));
}

function hexOf(map: Map<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([id, b]) => [id, Buffer.from(b).toString('hex')]));
}

function load(blobs: Record<string, string>, now: number): Store {
  const map = new Map(Object.entries(blobs).map(([id, hex]) => [id, new Uint8Array(Buffer.from(hex, 'hex'))]));
  return createStore(referenceBacking({ map }), { now: () => now });
}

describe('blob format version 3 (expiring blobs)', () => {
  if (process.env.UPDATE_FIXTURES === '1') {
    it('writes the fixture', async () => {
      const map = new Map<string, Uint8Array>();
      await writeAll(createStore(referenceBacking({ map }), { now: () => WRITTEN_AT }));
      writeFileSync(FIXTURE, `${JSON.stringify({ formatVersion: EXPIRING_FORMAT_VERSION, blobs: hexOf(map) }, null, 2)}\n`);
    });
    return;
  }
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { formatVersion: number; blobs: Record<string, string> };

  it('reads the committed fixture before expiry: values, and expiresAt in Meta', async () => {
    const store = load(fixture.blobs, WRITTEN_AT + TTL - 1);
    expect(await firstValueFrom(store.get('session'))).toEqual({ user: 'ada' });
    expect(await firstValueFrom(store.bget('upload', (b) => b.bytes()))).toEqual(new Uint8Array([1, 2, 3]));
    expect(await firstValueFrom(store.getMeta('session'))).toEqual({
      key: 'session',
      type: 'value',
      lastWrite: new Date(WRITTEN_AT),
      expiresAt: WRITTEN_AT + TTL,
      source: 'fixture',
    });
  });

  it('reads the committed fixture after expiry: only the key without a ttl is there', async () => {
    const store = load(fixture.blobs, WRITTEN_AT + TTL);
    expect(await firstValueFrom(store.get('session'))).toBeUndefined();
    expect(await firstValueFrom(store.bget('upload', (b) => b.bytes()))).toBeUndefined();
    expect((await lastValueFrom(store.keys().pipe(toArray()))).map((m) => m.key)).toEqual(['forever']);
  });

  it('is pinned: expiring blobs are version 3, the others version 2', () => {
    expect(fixture.formatVersion).toBe(EXPIRING_FORMAT_VERSION);
    const versions = Object.values(fixture.blobs)
      .map((hex) => hex.slice(8, 10))
      .sort();
    expect(versions).toEqual(['02', '03', '03']);
  });

  it('writes exactly the committed bytes today', async () => {
    const map = new Map<string, Uint8Array>();
    await writeAll(createStore(referenceBacking({ map }), { now: () => WRITTEN_AT }));
    expect(hexOf(map)).toEqual(fixture.blobs);
  });

  it('a version past the newest a reader knows is ERR_FORMAT (what a reader of versions 1-2 makes of version 3)', () => {
    const blob = new Uint8Array(
      Buffer.from(
        Object.values(fixture.blobs).find((hex) => hex.slice(8, 10) === '03')!,
        'hex',
      ),
    );
    // the version check a 1-2 reader makes, seen through this reader with the byte one past its newest
    blob[4] = EXPIRING_FORMAT_VERSION + 1;
    expect(() => headLength(blob, 'session')).toThrow(expect.objectContaining({ code: 'ERR_FORMAT' }));
  });

  it('before version 3, expiresAt was a plain user field: such a blob never expires and the field is dropped', async () => {
    const meta = { key: 'old', type: 'value' as const, lastWrite: new Date(WRITTEN_AT), expiresAt: WRITTEN_AT };
    const value = new Uint8Array([0x01]); // CBOR 1
    const map = new Map([[await idOf('old'), encodeBlob({ serializer: 1, compressor: 0, encryptor: 0 }, encodeMeta(meta), value, FORMAT_VERSION)]]);
    const store = createStore(referenceBacking({ map }), { now: () => WRITTEN_AT + TTL });
    expect(await firstValueFrom(store.get('old'))).toBe(1);
    expect(await firstValueFrom(store.getMeta('old'))).toEqual({ key: 'old', type: 'value', lastWrite: new Date(WRITTEN_AT) });
  });

  it('a version 3 blob without a valid expiresAt is ERR_CORRUPT', async () => {
    const meta = { key: 'bad', type: 'value' as const, lastWrite: new Date(WRITTEN_AT) };
    const map = new Map([
      [await idOf('bad'), encodeBlob({ serializer: 1, compressor: 0, encryptor: 0 }, encodeMeta(meta), new Uint8Array([0x01]), EXPIRING_FORMAT_VERSION)],
    ]);
    const store = createStore(referenceBacking({ map }));
    await expect(firstValueFrom(store.get('bad'))).rejects.toMatchObject({ code: 'ERR_CORRUPT' });
  });
});

/** The blob id of a key, as a store writes it. */
async function idOf(key: string): Promise<string> {
  const map = new Map<string, Uint8Array>();
  await firstValueFrom(createStore(referenceBacking({ map })).assoc(key, 0));
  return [...map.keys()][0]!;
}
