/**
 * connectBacking: the body every `connect<X>Store` shares. It checks options before building the
 * backing, waits for the backing to be ready, closes a backing nobody waits for any more, and
 * reports a failed start as ERR_IO.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectBacking, KonserveError, optionNames, STORE_OPTIONS, type BackingStore } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

const ALLOWED = optionNames<{ size?: number }>({ size: true }, STORE_OPTIONS);

/** A reference backing whose `ready()` settles when the test says, recording close(). */
function opening(): { backing: BackingStore & { ready(): Promise<void> }; start(error?: Error): void; closed: () => boolean } {
  let settle!: (error?: Error) => void;
  const started = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  let closed = false;
  const backing = { ...referenceBacking(), ready: () => started, close: () => void (closed = true) };
  return { backing, start: (error) => settle(error), closed: () => closed };
}

describe('connectBacking', () => {
  it('emits a working Store once the backing is ready', async () => {
    const { backing, start } = opening();
    const store$ = firstValueFrom(connectBacking<number>('connectTestStore', { size: 1 }, ALLOWED, () => backing));
    start();
    const store = await store$;
    await firstValueFrom(store.assoc('a', 1));
    expect(await firstValueFrom(store.get('a'))).toBe(1);
  });

  it('rejects an unknown option with ERR_INVALID_ARGUMENT naming the factory, before building a backing', async () => {
    let built = false;
    const error = await lastValueFrom(connectBacking('connectTestStore', { sise: 1 }, ALLOWED, () => ((built = true), referenceBacking()))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KonserveError);
    expect((error as KonserveError).code).toBe('ERR_INVALID_ARGUMENT');
    expect((error as KonserveError).message).toMatch(/connectTestStore: unknown option 'sise' \(did you mean 'size'\?\)/);
    expect(built).toBe(false);
  });

  it('reports a failed start as ERR_IO with the cause, and closes the backing', async () => {
    const { backing, start, closed } = opening();
    const store$ = lastValueFrom(connectBacking('connectTestStore', {}, ALLOWED, () => backing)).catch((e: unknown) => e);
    start(new Error('connection refused'));
    const error = (await store$) as KonserveError;
    expect(error.code).toBe('ERR_IO');
    expect(error.message).toMatch(/connection refused/);
    expect(closed()).toBe(true);
  });

  it('closes a backing that becomes ready after the subscriber left', async () => {
    const { backing, start, closed } = opening();
    const subscription = connectBacking('connectTestStore', {}, ALLOWED, () => backing).subscribe();
    subscription.unsubscribe();
    start();
    await backing.ready();
    expect(closed()).toBe(true);
  });

  it('waits for a custom ready function instead of the backing’s own', async () => {
    let started = false;
    const store = await firstValueFrom(
      connectBacking(
        'connectTestStore',
        {},
        ALLOWED,
        () => referenceBacking(),
        async () => void (started = true),
      ),
    );
    expect(started).toBe(true);
    expect(await firstValueFrom(store.exists('a'))).toBe(false);
  });
});
