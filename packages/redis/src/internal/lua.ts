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
  // promise chains, not async functions: a write's script call is on the path of every assoc,
  // and each async layer would add a promise and a microtask turn to it
  const runRaw = (client: Redis, keys: readonly string[], args: readonly (string | Buffer)[]): Promise<unknown> =>
    client.callBuffer('EVALSHA', sha, keys.length, ...keys, ...args).catch((e: unknown) => {
      // a restarted or flushed server has forgotten the script: EVAL sends it and caches it again
      if (!(e instanceof ReplyError) || !String((e as Error).message).startsWith('NOSCRIPT')) throw e;
      return client.callBuffer('EVAL', source, keys.length, ...keys, ...args);
    });
  return { run: (client, keys, args) => runRaw(client, keys, args).then(Number), runRaw };
}
