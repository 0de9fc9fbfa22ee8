/**
 * Server-side scripts of the Redis backing, run by their hash (EVALSHA) so a call sends only the
 * 40-character hash, with EVAL as the fallback when the server does not know the script.
 */
import { createHash } from 'node:crypto';
import { ReplyError, type Redis } from 'ioredis';

/** A Lua script the backing runs atomically on the server. */
export interface LuaScript {
  /** Runs the script with `keys` and `args`; resolves with its numeric reply. */
  run(client: Redis, keys: readonly string[], args: readonly (string | Buffer)[]): Promise<number>;
  /**
   * Runs the script with `keys` and `args`; resolves with its reply as the server sent it, bulk
   * strings as Buffers (binary bytes arrive unchanged), integers as numbers, nil as `null`.
   */
  runRaw(client: Redis, keys: readonly string[], args: readonly (string | Buffer)[]): Promise<unknown>;
}

/**
 * Makes a {@link LuaScript} of `source`.
 * @param source - the script's Lua source
 * @returns the script, run by hash and loaded once per server
 */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  const runRaw = async (client: Redis, keys: readonly string[], args: readonly (string | Buffer)[]): Promise<unknown> => {
    try {
      return await client.callBuffer('EVALSHA', sha, keys.length, ...keys, ...args);
    } catch (e) {
      // a restarted or flushed server has forgotten the script: EVAL sends it and caches it again
      if (!(e instanceof ReplyError) || !String((e as Error).message).startsWith('NOSCRIPT')) throw e;
      return client.callBuffer('EVAL', source, keys.length, ...keys, ...args);
    }
  };
  return { run: async (client, keys, args) => Number(await runRaw(client, keys, args)), runRaw };
}
