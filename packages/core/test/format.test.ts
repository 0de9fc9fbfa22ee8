/**
 * The blob format is a promise to users' data: a fixture written by each format version (1, 2)
 * must stay readable by every later version, and today's code must still write exactly the bytes
 * of the current version's fixture. Write the fixture of a new version (only for a deliberate
 * format change, with a new FORMAT_VERSION; never overwrite an older one) with UPDATE_FIXTURES=1.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createStore, FORMAT_VERSION, type Store } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

const fixturePath = (version: number): string => join(__dirname, 'fixtures', `format-v${version}.json`);
const VERSIONS = [1, 2];
const WRITTEN_AT = Date.UTC(2026, 10, 24, 12, 0, 0);

const values: Array<[unknown, unknown]> = [
  ['plain', { name: 'Ada', tags: ['a', 'b'], n: 1.5, ok: true, none: null }],
  [
    ['structured', 7],
    new Map<unknown, unknown>([
      ['k', new Set([1, 2])],
      [3, new Date(WRITTEN_AT)],
    ]),
  ],
  [{ user: 'u1' }, { big: 12345678901234567890n, bytes: new Uint8Array([1, 2, 3]), f: new Float64Array([0.5]) }],
  ['falsy', 0],
];

async function writeAll(store: Store): Promise<void> {
  for (const [k, v] of values) await firstValueFrom(store.assoc(k as never, v, { meta: { source: 'fixture' } }));
  await firstValueFrom(store.bassoc('binary', new Uint8Array([0, 255, 7])));
  for (const e of ['first', 'second']) await firstValueFrom(store.append('journal', e));
}

function toHex(map: Map<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([id, b]) => [id, Buffer.from(b).toString('hex')]));
}

describe.each(VERSIONS)('blob format version %i', (version) => {
  if (process.env.UPDATE_FIXTURES === '1') {
    if (version !== FORMAT_VERSION) return;
    it('writes the fixture of the current version', async () => {
      const map = new Map<string, Uint8Array>();
      await writeAll(createStore(referenceBacking({ map }), { now: () => WRITTEN_AT }));
      writeFileSync(fixturePath(version), `${JSON.stringify({ formatVersion: FORMAT_VERSION, blobs: toHex(map) }, null, 2)}\n`);
    });
    return;
  }
  const fixture = JSON.parse(readFileSync(fixturePath(version), 'utf8')) as { formatVersion: number; blobs: Record<string, string> };
  const load = (): Store => {
    const map = new Map(Object.entries(fixture.blobs).map(([id, hex]) => [id, new Uint8Array(Buffer.from(hex, 'hex'))]));
    return createStore(referenceBacking({ map }));
  };

  it('reads every value of the committed fixture exactly', async () => {
    const store = load();
    for (const [k, v] of values) expect(await firstValueFrom(store.get(k as never))).toEqual(v);
    expect(await firstValueFrom(store.get('binary'))).toEqual(new Uint8Array([0, 255, 7]));
    expect(await lastValueFrom(store.log('journal').pipe(toArray()))).toEqual(['first', 'second']);
  });

  it('reads the committed metadata: key, type, lastWrite and user fields', async () => {
    const metas = await lastValueFrom(load().keys().pipe(toArray()));
    expect(metas).toHaveLength(values.length + 2);
    const plain = metas.find((m) => m.key === 'plain');
    expect(plain).toEqual({ key: 'plain', type: 'value', lastWrite: new Date(WRITTEN_AT), source: 'fixture' });
    expect(metas.find((m) => m.key === 'journal')?.type).toBe('append-log');
  });

  it('is pinned: the fixture holds blobs of its version', () => {
    expect(fixture.formatVersion).toBe(version);
    for (const hex of Object.values(fixture.blobs)) expect(hex.slice(8, 10)).toBe(`0${version}`);
  });

  // only the current version is written; older fixtures are only read
  if (version !== FORMAT_VERSION) return;
  it('writes exactly the committed bytes today (except random log generations)', async () => {
    const map = new Map<string, Uint8Array>();
    await writeAll(createStore(referenceBacking({ map }), { now: () => WRITTEN_AT }));
    const fresh = toHex(map);
    const stable = (blobs: Record<string, string>) => Object.entries(blobs).filter(([id]) => !id.includes('.') && !id.startsWith(logId(blobs)));
    expect(stable(fresh)).toEqual(stable(fixture.blobs));
    expect(fixture.formatVersion).toBe(FORMAT_VERSION);
  });
});

// the journal's head holds a random generation, so its bytes differ per run
function logId(blobs: Record<string, string>): string {
  const element = Object.keys(blobs).find((id) => id.includes('.'));
  return element ? element.slice(0, 64) : '-';
}
