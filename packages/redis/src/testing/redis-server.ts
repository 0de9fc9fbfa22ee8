/**
 * A private redis-server for tests and benchmarks: a free loopback port, its own temp folder,
 * AOF on and RDB snapshots off. The server counts as started only when the one answering on the
 * port reports *our* folder (`CONFIG GET dir`): test files run in parallel, and another file's
 * server may hold a port we probed a moment earlier.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The server binary (override with REDIS_SERVER=/path/to/redis-server). */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** Why no server can be started here, or `undefined` when `redis-server --version` runs. */
export function redisUnavailable(): string | undefined {
  const r = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' });
  if (r.status === 0) return undefined;
  const why = r.error ? ((r.error as NodeJS.ErrnoException).code ?? r.error.message) : `exit status ${r.status ?? r.signal}`;
  return `no usable ${REDIS_SERVER} on PATH (${why}); install it (e.g. apt-get install redis-server) or set REDIS_SERVER`;
}

/** A running private server. */
export interface RedisServer {
  /** The loopback port it listens on. */
  readonly port: number;
  /** Its data folder (removed by `stop`). */
  readonly dir: string;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The server's version, e.g. `redis-server 7.0.15`. */
  readonly version: string;
  /** The process id of the running server (a new one after {@link RedisServer.restart}). */
  readonly pid: number;
  /** Kills the server (SIGKILL: a crash, not a clean shutdown) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder (so it reloads its AOF); resolves when it is ours and ready. */
  restart(): Promise<void>;
  /** Stops it (SIGTERM, SIGKILL after 5 s), waits until it is gone and removes its folder; never rejects. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /**
   * The AOF's fsync policy, for this start and every restart. Redis's own default, `everysec`,
   * may acknowledge a write before writing it to the file (when a background fsync lags, for up to
   * 2 s), so only `always` keeps every acknowledged write through a crash of the server.
   * @default 'everysec'
   */
  readonly appendfsync?: 'always' | 'everysec' | 'no';
}

/**
 * Starts a fresh server on a free loopback port with AOF on, in a new temp folder.
 * @param options - the AOF's fsync policy
 * @returns the running server; it is also killed if this process exits without stopping it
 * @example
 * ```ts
 * const server = await startRedisServer();
 * const store = await firstValueFrom(connectRedisStore({ url: server.url }));
 * await server.stop();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const appendfsync = options.appendfsync ?? 'everysec';
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'konserve-rx-redis-')));
  let running: ChildProcess | undefined;
  const onExit = (): void => {
    running?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let port = 0;
  try {
    // another process may bind the free port between our probe and the server's bind: retry on a new one
    for (let attempt = 0; running === undefined; attempt++) {
      port = await freePort();
      running = await launch(port, dir, appendfsync).catch((e: unknown) => {
        if (attempt >= 4) throw e;
        return undefined;
      });
    }
  } catch (e) {
    process.removeListener('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const line = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    version: `redis-server ${/v=(\S+)/.exec(line)?.[1] ?? line.trim()}`,
    get pid() {
      return running!.pid!;
    },
    kill: () => ended(running!, 'SIGKILL'),
    restart: async () => {
      running = await launch(port, dir, appendfsync);
    },
    stop: async () => {
      await ended(running!, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      process.removeListener('exit', onExit);
    },
  };
}

async function launch(port: number, dir: string, appendfsync: string): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    appendfsync,
    '--save',
    '',
    '--loglevel',
    'warning',
  ];
  const proc = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  proc.on('error', (e) => (output += String(e)));
  const deadline = Date.now() + 10_000;
  while (!(await servesDir(port, dir))) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`redis-server exited (${proc.exitCode ?? proc.signalCode}): ${output}`);
    if (Date.now() > deadline) {
      await ended(proc, 'SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within 10 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return proc;
}

/**
 * Sends `signal` (then SIGKILL if it has not exited after 5 s) and waits for the exit. A server a
 * test froze (SIGSTOP) is let run again first, so that it can act on the signal.
 */
function ended(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.kill(signal);
    proc.kill('SIGCONT');
  });
}

/** True when the server on `port` is ready (not LOADING, not refused) and works in `dir`. */
function servesDir(port: number, dir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.on('connect', () => socket.write('CONFIG GET dir\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.startsWith('-')) finish(false);
      else if (reply.includes(`${dir}\r\n`)) finish(true);
    });
    socket.on('error', () => finish(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
