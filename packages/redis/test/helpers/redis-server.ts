/**
 * A private redis-server per test file: started on a free port with its own folder, AOF on and
 * RDB snapshots off, stopped afterwards. Without the binary the Redis tests are skipped with the
 * reason in their name, except under CI=true, where that is a failure.
 */
import { describe, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The server binary (override with REDIS_SERVER=/path/to/redis-server). */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** Whether the redis-server binary runs here. */
export const redisAvailable = spawnSync(REDIS_SERVER, ['--version']).status === 0;

/** A running test server. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  /** Kills the server (SIGKILL: a crash, not a clean shutdown) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder (so it reloads its AOF); resolves when it answers PING. */
  restart(): Promise<void>;
  /** Stops it for good and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Registers `body` as a describe block that needs redis-server: skipped with the reason in its
 * name when the binary is missing, or a failing test instead when `CI=true`.
 */
export function describeRedis(title: string, body: () => void): void {
  if (redisAvailable) return describe(title, body);
  if (process.env.CI === 'true') {
    return describe(title, () => {
      it('needs a redis-server binary on PATH (required when CI=true)', () => {
        throw new Error(`${REDIS_SERVER} not found: install it (apt-get install redis-server) or set REDIS_SERVER`);
      });
    });
  }
  describe.skip(`${title} (skipped: no ${REDIS_SERVER} on PATH; install it, e.g. apt-get install redis-server)`, body);
}

/** Starts a fresh server on a free port with AOF on, in a new temp folder. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'konserve-redis-')));
  // jest runs test files in parallel: another file's server may take the same free port first,
  // so retry on a new port when ours could not bind
  let port = 0;
  let proc: ChildProcess | undefined;
  for (let attempt = 0; proc === undefined; attempt++) {
    port = await freePort();
    proc = await launch(port, dir).catch((e: unknown) => {
      if (attempt >= 4) throw e;
      return undefined;
    });
  }
  let running: ChildProcess = proc;
  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      await killed(running, 'SIGKILL');
    },
    restart: async () => {
      running = await launch(port, dir);
    },
    stop: async () => {
      await killed(running, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--loglevel', 'warning'];
  const proc = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 10_000;
  // answering is not enough: it must be *our* server (its folder), not another test file's on the same port
  while (!(await servesDir(port, dir))) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`redis-server exited (${proc.exitCode ?? proc.signalCode}): ${output}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port} within 10 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return proc;
}

function killed(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
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
