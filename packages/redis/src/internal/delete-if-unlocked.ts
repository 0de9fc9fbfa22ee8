/**
 * `deleteIfUnlocked` (docs/redis.md, "Blind writes in one round trip"): an uncontended `dissoc` as
 * one script that deletes the key's blob only while nobody holds its lock and the blob is one core
 * lets a backing delete unread (core's `BLIND_DELETE_FORMAT`), publishes the change notice built
 * around the blob's own meta in the same atomic step, and returns the deleted bytes, from which
 * core learns the key's Meta and an append log's elements. It keeps the fencing rule as
 * `writeIfUnlocked` does: nothing is deleted while a lock holder may be between its read and write.
 */
import { BLIND_DELETE_FORMAT } from '@konserve-rx/core';
import type { Redis } from 'ioredis';
import { luaScript } from './lua';

/** A Lua string literal of `bytes`, each byte as a decimal escape (Lua 5.1 has no hex escapes). */
function luaBytes(bytes: Uint8Array): string {
  return `"${Array.from(bytes, (b) => `\\${String(b).padStart(3, '0')}`).join('')}"`;
}

const { heads, metaLengthAt, metaAt, wholeUpTo } = BLIND_DELETE_FORMAT;
const HEAD_LENGTH = heads[0]!.length;

/**
 * KEYS: the lock key, the blob key. ARGV: optionally the channel, then the notice's bytes before
 * and after the base64 of the meta. Returns 0 when it did nothing (the lock is held, or the blob
 * has another head or is shorter than its meta), 1 when there was no blob, else the deleted bytes
 * (of a blob longer than `wholeUpTo`, only its header and meta).
 * Lua 5.1 has no base64: the meta (some tens of bytes) is encoded by the small function below.
 */
const SCRIPT = luaScript(`
local HEADS = { ${heads.map((h) => `[${luaBytes(h)}] = true`).join(', ')} }
local B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
local function digit(n) return string.sub(B64, n + 1, n + 1) end
local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = string.byte(s, i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    out[#out + 1] = digit(math.floor(n / 262144)) .. digit(math.floor(n / 4096) % 64)
      .. (b and digit(math.floor(n / 64) % 64) or '=') .. (c and digit(n % 64) or '=')
  end
  return table.concat(out)
end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local blob = redis.call('GET', KEYS[2])
if not blob then return 1 end
if not HEADS[string.sub(blob, 1, ${HEAD_LENGTH})] then return 0 end
local b1, b2, b3, b4 = string.byte(blob, ${metaLengthAt + 1}, ${metaLengthAt + 4})
local metaEnd = ${metaAt} + b1 + b2 * 256 + b3 * 65536 + b4 * 16777216
if #blob < metaEnd then return 0 end
redis.call('DEL', KEYS[2])
if ARGV[1] then redis.call('PUBLISH', ARGV[1], ARGV[2] .. base64(string.sub(blob, ${metaAt + 1}, metaEnd)) .. ARGV[3]) end
if #blob > ${wholeUpTo} then return string.sub(blob, 1, metaEnd) end
return blob`);

/**
 * Deletes `blobKey` unless `lockKey` exists or the blob is not one to delete unread, publishing
 * on `channel` the notice `before` + base64(meta) + `after` in the same step when given.
 * @returns the deleted bytes; `undefined` when there was no blob; `false` when it did nothing;
 *   rejects with the client's error when Redis fails
 */
export async function deleteIfUnlocked(
  client: Redis,
  lockKey: string,
  blobKey: string,
  notice?: { channel: string; before: Buffer; after: Buffer },
): Promise<Buffer | false | undefined> {
  const args = notice === undefined ? [] : [notice.channel, notice.before, notice.after];
  const reply = await SCRIPT.runRaw(client, [lockKey, blobKey], args);
  if (Buffer.isBuffer(reply)) return reply;
  return reply === 1 ? undefined : false;
}
