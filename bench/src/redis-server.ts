/**
 * A private redis-server for the "redis" section: a free loopback port, its own temp folder, AOF
 * on and RDB snapshots off. The same launch-and-verify approach as the Redis package's test
 * helper (packages/redis/test/helpers/redis-server.ts), copied here so the benchmark never
 * imports test files: the server counts as started only when the one answering on the port
 * reports *our* folder (`CONFIG GET dir`), not merely when something answers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The server binary (override with REDIS_SERVER=/path/to/redis-server). */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/**
 * Why the Redis rows cannot run here, or `undefined` when the redis-server binary runs
 * (`redis-server --version` exits 0).
 */
export function redisUnavailable(): string | undefined {
  const r = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' });
  if (r.status === 0) return undefined;
  const why = r.error ? (r.error as NodeJS.ErrnoException).code ?? r.error.message : `exit status ${r.status ?? r.signal}`;
  return `no usable ${REDIS_SERVER} on PATH (${why}); install it (e.g. apt-get install redis-server) or set REDIS_SERVER`;
}

/** A running private server. */
export interface BenchRedisServer {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  /** The server's version, e.g. `redis-server 7.0.15` (from `redis-server --version`). */
  readonly version: string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s), waits until it is gone and removes its folder; never rejects. */
  stop(): Promise<void>;
}

/** Starts a fresh server on a free loopback port with AOF on, in a new temp folder. */
export async function startRedisServer(): Promise<BenchRedisServer> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'konserve-rx-bench-redis-')));
  // if the process exits without stopping the server (an uncaught error), do not leave it behind
  let running: ChildProcess | undefined;
  const onExit = (): void => {
    running?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    // another process may take the same free port between our probe and the server's bind: retry on a new one
    for (let attempt = 0; running === undefined; attempt++) {
      const port = await freePort();
      running = await launch(port, dir).catch((e: unknown) => {
        if (attempt >= 4) throw e;
        return undefined;
      });
      if (running) {
        const proc = running;
        const line = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).stdout ?? '';
        const version = `redis-server ${/v=(\S+)/.exec(line)?.[1] ?? line.trim()}`;
        return {
          port,
          dir,
          url: `redis://127.0.0.1:${port}`,
          version,
          stop: async () => {
            await stopped(proc);
            rmSync(dir, { recursive: true, force: true });
            process.removeListener('exit', onExit);
          },
        };
      }
    }
    throw new Error('unreachable');
  } catch (e) {
    process.removeListener('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--loglevel', 'warning'];
  const proc = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  proc.on('error', (e) => (output += String(e)));
  const deadline = Date.now() + 10_000;
  while (!(await servesDir(port, dir))) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`redis-server exited (${proc.exitCode ?? proc.signalCode}): ${output}`);
    if (Date.now() > deadline) {
      await stopped(proc);
      throw new Error(`redis-server did not answer on port ${port} within 10 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return proc;
}

/** Ends `proc` (SIGTERM, then SIGKILL if it has not exited after 5 s) and waits for its exit. */
function stopped(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.kill('SIGTERM');
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
