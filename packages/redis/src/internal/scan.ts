/** Listing blob ids with `SCAN` (never `KEYS`, which blocks the server on big databases). */
import type { Redis } from 'ioredis';
import type { Keyspace } from './keyspace';

/**
 * Streams every blob id (those starting with `idPrefix`, when given: `SCAN MATCH` filters them on
 * the server), one `SCAN` round trip of about `count` keys at a time. SCAN may return a key twice
 * while the server resizes its tables, so ids already yielded are skipped (the set holds ids
 * only, never values).
 */
export async function* scanIds(
  client: Redis,
  keys: Keyspace,
  count: number,
  ready: () => Promise<void> | undefined,
  idPrefix?: string,
): AsyncGenerator<string> {
  const pattern = idPrefix === undefined ? keys.blobPattern : keys.blobPatternWith(idPrefix);
  await ready();
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    for (const key of batch) {
      const id = keys.idOf(key);
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      yield id;
    }
  } while (cursor !== '0');
}
