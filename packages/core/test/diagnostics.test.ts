/** Diagnostics channels: damaged bytes are announced on konserve-rx:corrupt, and only to subscribers. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { errorOf, run } from '@konserve-rx/core/testing';
import { aesGcmEncryptor, createStore, DIAGNOSTIC_CHANNELS, gzipCompressor, inspectStore, jsonSerializer, publishDiagnostic } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

const seen: unknown[] = [];
const listener = (event: unknown): void => void seen.push(event);
afterEach(() => {
  unsubscribe(DIAGNOSTIC_CHANNELS.corrupt, listener);
  seen.length = 0;
});

describe('diagnostics', () => {
  it('a read of damaged bytes publishes the key and what failed on konserve-rx:corrupt', async () => {
    const map = new Map<string, Uint8Array>();
    const store = createStore(referenceBacking({ map }));
    await run(store.assoc('damaged', { a: 1 }));
    const [id, bytes] = [...map.entries()][0]!;
    const copy = bytes.slice();
    copy[copy.length - 1]! ^= 0xff;
    map.set(id, copy);
    subscribe(DIAGNOSTIC_CHANNELS.corrupt, listener);
    // the user sees ERR_CORRUPT; a subscriber of the channel sees the same failure
    expect((await errorOf(store.get('damaged'))).code).toBe('ERR_CORRUPT');
    expect(seen).toEqual([expect.objectContaining({ backend: 'core', action: 'corrupt', key: 'damaged', detail: expect.any(String) })]);
  });

  it('publishes only to subscribers: without one, nothing is built or sent', () => {
    expect(() => publishDiagnostic('recovery', { backend: 'test', action: 'nothing' })).not.toThrow();
    subscribe(DIAGNOSTIC_CHANNELS.corrupt, listener);
    publishDiagnostic('corrupt', { backend: 'test', action: 'seen' });
    unsubscribe(DIAGNOSTIC_CHANNELS.corrupt, listener);
    publishDiagnostic('corrupt', { backend: 'test', action: 'unseen' });
    expect(seen).toEqual([{ backend: 'test', action: 'seen' }]);
  });
});

describe('inspectStore: the codecs a store writes with', () => {
  it('names serializer, compressor and encryptor, and whether CBOR runs on its native decoder', () => {
    const plain = inspectStore(createStore(referenceBacking()));
    // this repository approves cbor-extract's build (package.json allowScripts): the add-on is active
    expect(plain.codecs).toEqual({ serializer: 'cbor', native: true });
    const json = inspectStore(
      createStore(referenceBacking(), { serializer: jsonSerializer(), compressor: gzipCompressor(), encryptor: aesGcmEncryptor({ key: new Uint8Array(32) }) }),
    );
    expect(json.codecs).toEqual({ serializer: 'json', compressor: 'gzip', encryptor: 'aes-256-gcm' });
  });
});
