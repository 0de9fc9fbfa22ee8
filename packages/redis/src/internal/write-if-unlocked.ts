/**
 * `writeIfUnlocked` (docs/redis.md, "Blind writes in one round trip"): a blind single-blob write
 * (`assoc`) as one script that sets the blob only while nobody holds its lock, and publishes the
 * change notice in the same atomic step. It spares an uncontended `assoc` the round trips of the
 * locked path (lock, fenced write, release), and keeps the fencing rule: a write never lands while
 * a lock holder (of any process) may be between its read and its write.
 */
import type { Redis } from 'ioredis';
import { luaScript } from './lua';

/**
 * KEYS: the lock key, the blob key. ARGV: the value, when Redis drops it (ms since the epoch for
 * `SET ... PXAT`; empty: never), then optionally the channel and the notice. Returns 0 when the
 * lock is held (nothing written or published), else 1.
 */
const SCRIPT = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[2] == '' then
  redis.call('SET', KEYS[2], ARGV[1])
else
  redis.call('SET', KEYS[2], ARGV[1], 'PXAT', ARGV[2])
end
if ARGV[3] then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return 1`);

/**
 * Sets `blobKey` to `data` (dropped by Redis at `dropAt`, when given) unless `lockKey` exists,
 * publishing `notice` on `channel` in the same step when given.
 * @returns whether it wrote; rejects with the client's error when Redis fails
 */
export function writeIfUnlocked(
  client: Redis,
  lockKey: string,
  blobKey: string,
  data: Buffer,
  dropAt: number | undefined,
  notice?: { channel: string; message: Buffer },
): Promise<boolean> {
  const at = dropAt === undefined ? '' : String(dropAt);
  const args = notice === undefined ? [data, at] : [data, at, notice.channel, notice.message];
  return SCRIPT.runRaw(client, [lockKey, blobKey], args).then(wrote);
}

/** The script's reply: 1 when it wrote. */
function wrote(reply: unknown): boolean {
  return Number(reply) === 1;
}
