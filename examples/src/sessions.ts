/**
 * Expiry and scopes: a session cache beside user records in one store. Sessions live in their own
 * scope with a time to live; users live in another scope and never expire. A `watch` sees a
 * session end, expired keys are missing everywhere at once, and `sweep({ expired: true })`
 * reclaims their bytes.
 *
 * Run:  node examples/dist/sessions.js [store-folder]   (default: an in-memory store)
 */
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { sweep } from '@konserve-rx/core';
import { openStore, run, type ExampleOptions } from './support';

/** How long the short session lives, in milliseconds. */
export const SHORT_TTL_MS = 300;

/**
 * Stores a user and two sessions, watches the short one end, and sweeps what expired.
 * @param options - store folder and where to print
 * @returns a promise that resolves once the store is closed
 */
export async function main(options: ExampleOptions = {}): Promise<void> {
  const say = options.out ?? console.log;
  const store = await openStore(options.dir);
  const users = store.scope('users');
  const sessions = store.scope('sessions');

  await firstValueFrom(users.assoc('ada', { name: 'Ada Lovelace' }));
  await firstValueFrom(sessions.assoc('s-short', { user: 'ada' }, { ttl: SHORT_TTL_MS }));
  await firstValueFrom(sessions.assoc('s-long', { user: 'ada' }, { ttl: 60 * 60_000 }));
  const expiresAt = (await firstValueFrom(sessions.getMeta('s-short')))?.expiresAt;
  say(`sessions ${await firstValueFrom(sessions.count())}, users ${await firstValueFrom(users.count())} (each scope counts its own keys)`);
  say(`s-short  expires ${expiresAt === undefined ? 'never' : `${SHORT_TTL_MS} ms after it was written`}`);

  // the current value, then `undefined` when the key expires: no write needed
  const seen = await lastValueFrom(sessions.watch('s-short').pipe(take(2), toArray()));
  say(`watch    s-short -> ${seen.map((v) => (v === undefined ? 'expired' : JSON.stringify(v))).join(' -> ')}`);

  // expired is missing everywhere at once
  const [value, exists, count] = await Promise.all([
    firstValueFrom(sessions.get('s-short')),
    firstValueFrom(sessions.exists('s-short')),
    firstValueFrom(sessions.count()),
  ]);
  say(`after    get ${String(value)}, exists ${exists}, sessions ${count}`);

  // the bytes stay until a sweep (Redis drops them by itself a little after expiresAt)
  const swept = await lastValueFrom(sweep(sessions, { expired: true }).pipe(toArray()));
  say(
    `sweep    removed ${swept.length} expired blob${swept.length === 1 ? '' : 's'}; ada is still ${((await firstValueFrom(users.get('ada'))) as { name: string }).name}`,
  );

  await lastValueFrom(store.close(), { defaultValue: undefined });
  say('close    -> done');
}

if (require.main === module) run(main, { dir: process.argv[2] });
