/**
 * Fenced writes (docs/redis.md, "Lock protocol"): while this backing holds the cross-process lock
 * of a blob, its writes to that blob run as one Lua script that first checks every lock involved
 * still holds our token and only then sets or deletes the blobs. The check and the writes are one
 * atomic step on the server, so a writer whose lease expired (a frozen process, a long GC pause, a
 * slow `update` function) changes nothing and fails with ERR_LOCK_LOST, instead of overwriting
 * what the lock's next owner committed.
 */
import { lockLost } from '@konserve-rx/core';
import type { Redis } from 'ioredis';
import { luaScript } from './lua';

/**
 * KEYS: the n lock keys, then the blob keys. ARGV: n, the n tokens, then per blob an op ('S' set,
 * 'D' delete), its value (empty for a delete) and when Redis drops it (ms since the epoch, for
 * `SET ... PXAT`; empty: never). Returns -i when lock i no longer holds its token (nothing
 * written), else the number of blobs the deletes removed.
 */
const SCRIPT = luaScript(`
local n = tonumber(ARGV[1])
for i = 1, n do
  if redis.call('GET', KEYS[i]) ~= ARGV[i + 1] then return -i end
end
local deleted = 0
for k = 1, #KEYS - n do
  local key = KEYS[n + k]
  local at = n + 3 * k - 1
  if ARGV[at] == 'S' then
    if ARGV[at + 2] == '' then
      redis.call('SET', key, ARGV[at + 1])
    else
      redis.call('SET', key, ARGV[at + 1], 'PXAT', ARGV[at + 2])
    end
  else
    deleted = deleted + redis.call('DEL', key)
  end
end
return deleted`);

/** A lock this backing holds: its Redis key and our token in it. */
export interface HeldLock {
  readonly id: string;
  readonly key: string;
  readonly token: string;
}

/** One blob write of a fenced batch: bytes to set (and when Redis drops them), or `null` to delete. */
export type FencedEntry = readonly [key: string, data: Buffer | null, dropAt?: number | undefined];

/**
 * Applies `entries` in one atomic step if every lock in `locks` still holds our token.
 * @returns how many blobs the deletes removed; errors with `ERR_LOCK_LOST` naming the first lost
 * lock (and nothing written), or with the client's error when Redis fails
 */
export async function fencedWrite(client: Redis, locks: readonly HeldLock[], entries: readonly FencedEntry[]): Promise<number> {
  const keys = [...locks.map((l) => l.key), ...entries.map(([key]) => key)];
  const args: (string | Buffer)[] = [String(locks.length), ...locks.map((l) => l.token)];
  for (const [, data, dropAt] of entries) args.push(data === null ? 'D' : 'S', data ?? '', dropAt === undefined ? '' : String(dropAt));
  const result = await SCRIPT.run(client, keys, args);
  if (result < 0) throw lockLost(locks[-result - 1]!.id);
  return result;
}
