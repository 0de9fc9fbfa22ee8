/** The write path builds each blob in one buffer; it must be byte for byte what encodeBlob builds. */
import { describe, expect, it } from '@jest/globals';
import { Subject, asyncScheduler } from 'rxjs';
import { encodeBlob, parseBlob } from '../src/format/blob';
import { monotoneClock } from '../src/internal/clock';
import { KeyLocks } from '../src/store/engine/locks';
import { encodeMeta } from '../src/format/meta';
import { valueCodec } from '../src/format/value-codec';
import type { ChangeRecord, StoreContext } from '../src/store/engine/context';
import { prepareBlob, RAW_IDS } from '../src/store/write';
import { ROOT_SCOPE } from '../src/store/scope';
import { referenceBacking } from '../src/testing/reference-backing';

const ctx: StoreContext = {
  backing: referenceBacking(),
  scope: ROOT_SCOPE,
  codec: valueCodec({}),
  locks: new KeyLocks(),
  clock: monotoneClock(() => 1_700_000_000_123),
  now: () => 1_700_000_000_123,
  scheduler: asyncScheduler,
  changes: new Subject<ChangeRecord>(),
  life: { closed: false, inflight: 0 },
};

describe('prepareBlob', () => {
  const values = [new Uint8Array(0), new Uint8Array([1, 2, 3]), new Uint8Array(5000).map((_, i) => i * 7)];
  const cases = [
    { key: 'k', user: undefined },
    { key: 'ключ-😀', user: undefined },
    { key: ['a', 1], user: undefined },
    { key: 'k', user: { owner: 'me', tags: ['x'.repeat(300)] } },
  ];

  it('writes the same bytes as encodeBlob over encodeMeta, for built and user Meta, short and long values', () => {
    for (const { key, user } of cases) {
      for (const value of values) {
        for (const ids of [ctx.codec.ids, RAW_IDS]) {
          const blob = prepareBlob(ctx, 'id', key, 'value', value, user, ids);
          const expected = encodeBlob(ids, encodeMeta(blob.meta), value);
          expect(Buffer.from(blob.bytes).equals(Buffer.from(expected))).toBe(true);
          expect(Buffer.from(blob.value).equals(Buffer.from(value))).toBe(true);
          expect(parseBlob(blob.bytes, key).value.length).toBe(value.length);
        }
      }
    }
  });
});
