/**
 * Runs every example in-process against temporary folders and checks what it prints, so the
 * examples cannot rot; then runs the built demo the way `npm start` does and checks that the
 * process prints its steps and exits on its own.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireBuilt } from '../../test-support/children';
import { demo, eventJournal, importJsonl, latencyDemo, liveWatch, promises, sessions } from '../src';

const REPO_ROOT = resolve(__dirname, '../..');
const temp = mkdtempSync(join(tmpdir(), 'konserve-rx-examples-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs an example's main and returns the lines it printed. */
async function output<O>(main: (options: O & { out: (line: string) => void }) => Promise<void>, options: O): Promise<string[]> {
  const lines: string[] = [];
  await main({ ...options, out: (line: string) => void lines.push(line) });
  return lines;
}

describe('examples', () => {
  it('main.ts: every step on a file store, and the data survives for the next run', async () => {
    const dir = join(temp, 'demo');
    const first = await output(demo, { dir });
    expect(first[0]).toBe(`konserve-rx demo: a file store in ${dir}`);
    const text = first.join('\n');
    expect(text).toMatch(/get +user\/ada +-> {"name":"Ada Lovelace","born":1815}/);
    expect(text).toMatch(/update +visits +-> 1 \(was missing/);
    expect(text).toMatch(/getIn gives London/);
    expect(text).toMatch(/the log holds 1 entry: visit 1/);
    expect(text).toMatch(/keys +-> journal, user\/ada, user\/alan, user\/edsger, user\/grace, visits/);
    expect(text).toMatch(/watch +likes +-> missing -> 1 -> 2/);
    expect(text).toMatch(/getFrom +-> Ada Lovelace \(1815\); Alan Turing \(1912\); Edsger Dijkstra \(1930\); Grace Hopper \(1906\)/);
    expect(first.at(-1)).toMatch(/^close +-> done/);
    const second = (await output(demo, { dir })).join('\n');
    // one visit per run: watching another key never moves the visit counter
    expect(second).toMatch(/update +visits +-> 2 \(was 1/);
    expect(second).toMatch(/the log holds 2 entries: visit 1, visit 2/);
    expect(second).toMatch(/keys +-> journal, likes, user\/ada/);
    expect(second).toMatch(/watch +likes +-> 2 -> 3 -> 4/);
  });

  it('sessions.ts: scoped keys, a session that expires (watch sees it end), and a sweep of what expired, on memory and on files', async () => {
    for (const dir of [undefined, join(temp, 'sessions')]) {
      const lines = await output(sessions, { dir });
      expect(lines).toEqual([
        'sessions 2, users 1 (each scope counts its own keys)',
        's-short  expires 300 ms after it was written',
        'watch    s-short -> {"user":"ada"} -> expired',
        'after    get undefined, exists false, sessions 1',
        'sweep    removed 1 expired blob; ada is still Ada Lovelace',
        'close    -> done',
      ]);
    }
  });

  it('promises.ts: the same store through Promises and for await, on memory and on files', async () => {
    for (const dir of [undefined, join(temp, 'promises')]) {
      const lines = await output(promises, { dir });
      expect(lines).toEqual([
        'added   todo/1: buy milk',
        'added   todo/2: write tests',
        'added   todo/3: ship it',
        'ticked  todo/2: write tests',
        'list    [ ] buy milk, [ ] ship it, [x] write tests',
        'history added buy milk',
        'history added write tests',
        'history added ship it',
        'history done write tests',
        'error   ERR_INVALID_ARGUMENT: next holds a value, not a log',
        'watched next: undefined -> 1 -> 2 -> 3',
      ]);
    }
  });

  it('import-jsonl.ts: imports the sample file, skips the bad line, reports progress', async () => {
    const lines = await output(importJsonl, { dir: join(temp, 'import'), concurrency: 4 });
    expect(lines).toContain('  10 imported');
    expect(lines).toContain('  40 imported');
    expect(lines.some((l) => l.startsWith('  line 18: skipped, not JSON'))).toBe(true);
    expect(lines).toContain('done: 40 records imported');
    expect(lines).toContain('people by city: Amsterdam 6, Berlin 6, London 6, New York 6, Oslo 6, Tokyo 5, Zurich 5');
  });

  it('import-jsonl.ts: a file of other records imports nothing and says why', async () => {
    const file = join(temp, 'other.jsonl');
    writeFileSync(file, '{"sku":"x-1"}\n\n[1,2]\n');
    const lines = await output(importJsonl, { file });
    expect(lines).toEqual([
      `importing ${file} with assocTo({ concurrency: 8 })`,
      '  line 1: skipped, not a person record',
      '  line 3: skipped, not a person record',
      'done: 0 records imported',
      'people by city: none',
    ]);
  });

  it('live-watch.ts: the watcher sees every update of both writers, and the program ends', async () => {
    for (const dir of [undefined, join(temp, 'live')]) {
      const lines = await output(liveWatch, { dir, rounds: 3 });
      expect(lines).toContain('final   scoreboard: {"alice":3,"bob":3}');
      expect(lines).toContain('the watcher saw 7 values (the first, then one per update); changes saw 12 writes');
      expect(lines.filter((l) => l.startsWith('watch   scoreboard #')).at(-1)).toBe('watch   scoreboard #6: {"alice":3,"bob":3}');
    }
  });

  it('event-journal.ts: appends, replays, reduces and catches up from a snapshot', async () => {
    const lines = await output(eventJournal, { dir: join(temp, 'journal') });
    expect(lines).toEqual([
      'append  4 events -> the log head counts 4',
      'log     #0 opened by Ada',
      'log     #1 deposited 100',
      'log     #2 withdrew 30',
      'log     #3 deposited 12',
      'reduce  balance = 82',
      'assoc   snapshot { events: 4, balance: 82 }',
      'append  2 more events',
      'replay  from the snapshot: 2 newer events -> balance = 40',
      'check   a full reduceLog agrees: 40',
    ]);
  });

  it('latency.ts: a seed that is no whole number is refused, saying how to run it', async () => {
    await expect(latencyDemo({ seed: Number('abc'), out: () => undefined })).rejects.toThrow(/seed must be a whole number, got NaN/);
    await expect(latencyDemo({ seed: 1.5, out: () => undefined })).rejects.toThrow(/got 1.5/);
  });

  it('latency.ts: out-of-order completion, ordered results, per-key write order', async () => {
    const lines = await output(latencyDemo, { seed: 11 });
    const text = lines.join('\n');
    expect(text).toMatch(/getFrom ordered \(the default\) +-> name 0, name 1, name 2, name 3, name 4, name 5, name 6, name 7/);
    expect(text).toMatch(/committed 1, 2, 3, 4, 5, 6, 7, 8, 9, 10; final value 10/);
    expect(text).toMatch(/updateWith 20 increments of 'hits' +-> 20 \(none lost\)/);
    const completed = lines.filter((l) => l.includes('completed as')).map((l) => l.split('completed as ')[1]?.split(' ') ?? []);
    for (const order of completed) expect([...order].sort()).toEqual(['user/0', 'user/1', 'user/2', 'user/3', 'user/4', 'user/5', 'user/6', 'user/7']);
  });
});

describe('npm start', () => {
  it('the built demo prints its steps and exits by itself in a fresh folder', async () => {
    requireBuilt('examples', 'dist/main.js');
    const cwd = mkdtempSync(join(temp, 'start-'));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'examples/dist/main.js')], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`konserve-rx demo: a file store in ${join(cwd, 'data')}`);
    expect(stdout).toMatch(/close +-> done/);
    expect(existsSync(join(cwd, 'data'))).toBe(true);
  });
});
