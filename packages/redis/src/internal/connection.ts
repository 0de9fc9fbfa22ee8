/**
 * The connections of one backing: the command client (made from the url, or the user's) and,
 * when changes are shared, a subscriber duplicated from it. Connecting happens once, on first
 * use or `ready()`, and is tried again after a failed attempt; afterwards ioredis reconnects by
 * itself, while commands fail fast instead of queueing (docs/redis.md, "Failure behaviour").
 */
import { invalidArgument } from '@konserve-rx/core';
import { Redis, type RedisOptions } from 'ioredis';
// after ioredis: undoes the slowdown its String subclass causes to every string in the process
import './fast-strings';
import type { RedisBackingOptions } from '../options';
import { watchReplies } from './watchdog';

/** Defaults that make an outage visible at once: no offline queue, no retried commands. */
const FAIL_FAST: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  connectTimeout: 5000,
  // closing during an outage ends a socket that is already gone; do not hold the process for 2 s
  disconnectTimeout: 200,
  // reconnect quickly at first, then every second, for as long as the backing is open
  retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
};

/** The live connections of a backing. */
export interface Connection {
  /** The client every command goes through. */
  readonly client: Redis;
  /** Connects once; `undefined` when already connected. Rejects with the connection error. */
  ready(): Promise<void> | undefined;
  /** Whether the server, when we connected, wrote and fsynced its append-only file before every reply. */
  durable(): boolean;
  /** Holds the client's writes until the current tick's promise jobs have run, to send them in one write. */
  coalesce(): void;
  /** Closes the subscriber, and the client when the backing made it; never rejects. */
  close(): Promise<void>;
}

/** What the connection subscribes to: the channel and the handler of its messages. */
export interface Subscription {
  readonly channel: string;
  readonly onMessage: (message: Buffer) => void;
}

/**
 * Creates (without connecting) the connections of a backing. `marker`: a key set (if missing) on
 * connect, so that the store exists from its first connection on.
 */
export function connection(options: RedisBackingOptions, subscription?: Subscription, marker?: string): Connection {
  const owned = options.client === undefined;
  const timeout = commandTimeoutOf(options.commandTimeout);
  // with the offline queue turned on, commands also wait unsent, where the watchdog (which sees
  // sent commands only) cannot: then ioredis's timer per command, armed when a command is issued
  const perCommand = options.redisOptions?.enableOfflineQueue === true;
  const client =
    options.client ??
    // ioredis's own RedisOptions does not match its constructor's parameter under
    // exactOptionalPropertyTypes (`replyMapping?`): the object is of ioredis's own type
    new Redis(options.url ?? 'redis://127.0.0.1:6379', {
      ...FAIL_FAST,
      ...(perCommand ? { commandTimeout: timeout } : {}),
      ...options.redisOptions,
    } satisfies RedisOptions as never);
  // errors surface on the commands that fail; an unhandled 'error' event would only log noise
  if (owned) client.on('error', () => undefined);
  let sub: Redis | undefined;
  let durable = false;
  let opening: Promise<void> | undefined;
  let open = false;
  // the client's command timeout (ours only: a given client keeps the settings its owner chose)
  let unwatch: (() => void) | undefined;
  const stopWatching = (): void => {
    unwatch?.();
    unwatch = undefined;
  };

  const start = async (): Promise<void> => {
    if (owned && !perCommand) unwatch ??= watchReplies(client, timeout);
    await whenReady(client, owned);
    durable = await readDurable(client);
    if (marker !== undefined) await client.set(marker, JSON.stringify({ store: 'konserve-rx', created: new Date().toISOString() }), 'NX');
    if (subscription !== undefined && sub === undefined) sub = await subscribe(client, subscription, timeout);
  };
  return {
    client,
    ready: () =>
      open
        ? undefined
        : (opening ??= start().then(
            () => void (open = true),
            (e: unknown) => {
              opening = undefined;
              // a failed first connect must not leave reconnect timers keeping the process alive
              if (owned) client.disconnect();
              stopWatching();
              throw e;
            },
          )),
    durable: () => durable,
    coalesce: coalescer(client),
    close: async () => {
      // the watchdog runs on until QUIT is answered: a silent server then fails it, and close ends
      await Promise.all([sub && quit(sub), owned ? quit(client) : undefined]);
      stopWatching();
    },
  };
}

/** Resolves once `client` is ready; connects it when it has not started yet. Rejects with the first connection error. */
async function whenReady(client: Redis, owned: boolean): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'end' && !owned) throw new Error('the given Redis client is closed');
  const ready = new Promise<void>((resolve, reject) => {
    const done = (e?: unknown): void => {
      client.off('ready', done);
      client.off('error', done);
      if (e === undefined) resolve();
      else reject(e);
    };
    client.once('ready', done);
    client.once('error', done);
  });
  // connect()'s own rejection only says "Connection is closed"; the 'error' event has the cause
  if (client.status === 'wait' || client.status === 'end') client.connect().catch(() => undefined);
  await ready;
}

/**
 * Whether an acknowledged write survives a crash of the server: the append-only file is on and
 * fsynced before every reply (`appendfsync always`). Under `everysec`, Redis's default, a server
 * whose background fsync lags may acknowledge writes for up to 2 s before writing them to the file,
 * and a crash then loses them (docs/redis.md, "Failure behaviour").
 */
async function readDurable(client: Redis): Promise<boolean> {
  try {
    const settings = configOf((await client.config('GET', 'append*')) as unknown);
    return settings.get('appendonly') === 'yes' && settings.get('appendfsync') === 'always';
  } catch {
    // CONFIG is often disabled on managed servers: assume not durable unless told (options.durable)
    return false;
  }
}

/** The name/value pairs of a `CONFIG GET` reply. */
function configOf(reply: unknown): Map<string, string> {
  const settings = new Map<string, string>();
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) settings.set(String(reply[i]), String(reply[i + 1]));
  return settings;
}

/** The `commandTimeout` option, checked: a finite number of milliseconds above 0. */
function commandTimeoutOf(ms: number | undefined): number {
  if (ms === undefined) return 5000;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
    throw invalidArgument(`redisBacking: commandTimeout is a finite number of milliseconds above 0, got ${String(ms)}`);
  return ms;
}

/**
 * The subscriber connection, subscribed to the change channel. After a reconnect it subscribes
 * again by itself, not through ioredis's `autoResubscribe`: that one issues SUBSCRIBE without a
 * handler for its failure, so a connection lost again right after its ready check (its queued
 * SUBSCRIBE then fails) left an unhandled rejection, which ends a Node process by default.
 */
async function subscribe(client: Redis, subscription: Subscription, timeout: number): Promise<Redis> {
  // a subscriber sends few commands: ioredis's own timer per command costs nothing there
  const sub = client.duplicate({ commandTimeout: timeout, autoResubscribe: false });
  sub.on('error', () => undefined);
  sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => subscription.onMessage(message));
  try {
    await whenReady(sub, true);
    await sub.subscribe(subscription.channel);
  } catch (e) {
    sub.disconnect();
    throw e;
  }
  // every later 'ready' is a reconnect; a failed SUBSCRIBE means the connection is gone again,
  // and the next reconnect tries once more
  sub.on('ready', () => void sub.subscribe(subscription.channel).catch(() => undefined));
  return sub;
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => undefined);
  if (client.status !== 'end') client.disconnect();
}

/**
 * Makes the commands a tick issues reach the socket in one write. The first call in a tick corks
 * the client's socket; a `process.nextTick` callback uncorks it, and Node then hands everything
 * written meanwhile to the kernel in one `writev`. A next-tick callback queued from a promise job
 * runs once the promise-job queue is empty, so the commands of operations that continue from one
 * socket read (many in flight: one read resolves dozens of replies) go out together. (Queued from
 * a timer or I/O callback, it runs right after that callback, before its promise jobs: those
 * commands then share the next write.) A lone command goes out at the end of its tick, no later
 * than the event loop would have let it.
 * 64 assocs in flight made one write syscall each before; now about one per 40 operations
 * (docs/performance.md, round five). The order of the commands is the order they were written.
 */
function coalescer(client: Redis): () => void {
  let corked: Redis['stream'] | undefined;
  const flush = (): void => {
    // the socket corked, even when the client has reconnected since on a new one
    const stream = corked;
    corked = undefined;
    stream?.uncork();
  };
  return () => {
    if (corked !== undefined) return;
    // absent before the first connect; ready() has resolved whenever the backing calls this
    const stream = client.stream as Redis['stream'] | undefined;
    if (stream === undefined) return;
    stream.cork();
    corked = stream;
    process.nextTick(flush);
  };
}
