/**
 * A private PostgreSQL cluster for tests and benchmarks: a new cluster in a new temp folder (a copy
 * of one `initdb` made once, kept in the temp folder as `konserve-rx-pgtemplate-*`), the server
 * on a free loopback port with its socket inside that folder. The server refuses to run as root,
 * so under root the folder is given to the `postgres` OS user and the processes run as it. The
 * server counts as started only when the one answering on the port reports *our* data folder:
 * test files run in parallel, and another file's server may hold a port we probed a moment earlier.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** The user the test cluster's superuser is called. */
const SUPERUSER = 'konserve';

/**
 * The folder holding `initdb` and `postgres`: `$PG_BIN` when set (and then only it), else
 * `pg_config --bindir`, else the newest `/usr/lib/postgresql/<version>/bin` (Debian's layout);
 * `undefined` when none has both.
 */
export function postgresBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) return hasServer(process.env.PG_BIN) ? process.env.PG_BIN : undefined;
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (config.status === 0) candidates.push(config.stdout.trim());
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return candidates.find(hasServer);
}

function hasServer(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
}

/** Why no cluster can be started here, or `undefined` when the server binaries are found. */
export function postgresUnavailable(): string | undefined {
  if (postgresBinDir() !== undefined) return undefined;
  if (process.env.PG_BIN) return `no PostgreSQL server binaries (initdb, postgres) in PG_BIN=${process.env.PG_BIN}`;
  return 'no PostgreSQL server binaries (initdb, postgres) found via $PG_BIN, pg_config or /usr/lib/postgresql/*/bin; install them (e.g. apt-get install postgresql) or set PG_BIN';
}

/** A running private server. */
export interface PostgresServer {
  /** The loopback port it listens on. */
  readonly port: number;
  /** Its folder (data and socket; removed by `stop`). */
  readonly dir: string;
  /** `postgres://konserve@127.0.0.1:<port>/postgres` (trust authentication on loopback). */
  readonly connectionString: string;
  /** The server's version, e.g. `PostgreSQL 15.14`. */
  readonly version: string;
  /** Stops it at once (immediate shutdown: no checkpoint, a crash as far as the data is concerned) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder (crash recovery replays the WAL); resolves when it is ours and ready. */
  restart(): Promise<void>;
  /** Stops it (fast shutdown, SIGKILL after 5 s), waits until it is gone and removes its folder; never rejects. */
  stop(): Promise<void>;
}

/**
 * Creates a cluster in a new temp folder and starts it on a free loopback port. `fsync` is off:
 * a killed server still keeps every committed transaction (the WAL is in the OS's cache); only a
 * crash of the machine would lose some, which tests do not simulate.
 * @returns the running server; it is also killed if this process exits without stopping it
 * @example
 * ```ts
 * const server = await startPostgresServer();
 * const store = await firstValueFrom(connectPostgresStore({ connectionString: server.connectionString, table: 'kv' }));
 * await server.stop();
 * ```
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(postgresUnavailable());
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'konserve-rx-pg-')));
  const as = runAs();
  let running: ChildProcess | undefined;
  const onExit = (): void => {
    running?.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let port = 0;
  try {
    initCluster(bin, dir, as);
    // another process may bind the free port between our probe and the server's bind: retry on a new one
    for (let attempt = 0; running === undefined; attempt++) {
      port = await freePort();
      running = await launch(bin, dir, port, as).catch((e: unknown) => {
        if (attempt >= 4) throw e;
        return undefined;
      });
    }
  } catch (e) {
    process.removeListener('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const connectionString = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  const line = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return {
    port,
    dir,
    connectionString,
    version: `PostgreSQL ${/(\d+(\.\d+)*)/.exec(line)?.[1] ?? line.trim()}`,
    kill: () => ended(running!, 'SIGQUIT'),
    restart: async () => {
      running = await launch(bin, dir, port, as);
    },
    stop: async () => {
      await ended(running!, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
      process.removeListener('exit', onExit);
    },
  };
}

/** The uid/gid to run the server as: the `postgres` user when we are root, ourselves otherwise. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error('running as root and there is no "postgres" OS user to run the PostgreSQL server as (the server refuses root)');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Gives `dir` a fresh cluster in `data`: a copy of a template cluster made once per machine, user
 * and server version (initdb takes seconds; a copy a fraction of that). The template is made in a
 * folder of its own and renamed into place, so concurrent test files never see half of one.
 */
function initCluster(bin: string, dir: string, as: { uid: number; gid: number } | undefined): void {
  mkdirSync(join(dir, 'sock'));
  if (as !== undefined) for (const p of [dir, join(dir, 'sock')]) chownSync(p, as.uid, as.gid);
  const template = join(
    tmpdir(),
    `konserve-rx-pgtemplate-v1-${createHash('sha256')
      .update(`${bin}:${as?.uid ?? process.getuid?.()}`)
      .digest('hex')
      .slice(0, 12)}`,
  );
  if (!existsSync(join(template, 'data', 'PG_VERSION'))) makeTemplate(bin, template, as);
  // cp -a keeps owner and modes (the server insists on a 0700 data folder it owns)
  const r = spawnSync('cp', ['-a', join(template, 'data'), join(dir, 'data')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`copying the template cluster failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
}

function makeTemplate(bin: string, template: string, as: { uid: number; gid: number } | undefined): void {
  const building = `${template}.${process.pid}.${Date.now()}`;
  mkdirSync(building);
  try {
    if (as !== undefined) chownSync(building, as.uid, as.gid);
    const args = ['-D', join(building, 'data'), '-U', SUPERUSER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-instructions'];
    const r = spawnSync(join(bin, 'initdb'), args, { encoding: 'utf8', cwd: building, ...(as ?? {}) });
    if (r.status !== 0) throw new Error(`initdb failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
    try {
      renameSync(building, template);
    } catch {
      // another test file finished its template first: use that one
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

async function launch(bin: string, dir: string, port: number, as: { uid: number; gid: number } | undefined): Promise<ChildProcess> {
  const data = join(dir, 'data');
  const settings = [
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${join(dir, 'sock')}`,
    'fsync=off',
    'max_connections=200',
    'logging_collector=off',
    'log_min_messages=fatal',
  ];
  const args = ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
  const options: SpawnOptions = { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], ...(as ?? {}) };
  const proc = spawn(join(bin, 'postgres'), args, options);
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  proc.on('error', (e) => (output += String(e)));
  const deadline = Date.now() + 20_000;
  while (!(await servesDir(port, data))) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`postgres exited (${proc.exitCode ?? proc.signalCode}): ${output}`);
    if (Date.now() > deadline) {
      await ended(proc, 'SIGQUIT');
      throw new Error(`postgres did not answer on port ${port} within 20 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return proc;
}

/** Sends `signal` (then SIGKILL if it has not exited after 5 s) and waits for the exit. */
function ended(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.kill(signal);
  });
}

/** True when the server on `port` accepts queries (not starting up or recovering) and runs on `data`. */
async function servesDir(port: number, data: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres', connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ data_directory: string }>('SHOW data_directory');
    return r.rows[0]?.data_directory === data;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
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
