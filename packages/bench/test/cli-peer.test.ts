/**
 * `@konserve-rx/fs` is an optional peer of the CLI: without it installed, `--backend file` fails
 * up front with a message naming the package (exit 2), and the other backends still run. The
 * missing install is simulated by making the module unresolvable (the CLI itself is not mocked).
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main';

jest.mock('@konserve-rx/fs', () => {
  throw Object.assign(new Error("Cannot find module '@konserve-rx/fs'"), { code: 'MODULE_NOT_FOUND' });
});

function sink(): { text: string; write(t: string): boolean } {
  return {
    text: '',
    write(t: string) {
      this.text += t;
      return true;
    },
  };
}

describe('konserve-rx-bench without @konserve-rx/fs installed', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'konserve-rx-bench-peer-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exits 2 for --backend file, naming the package to install, before running anything', async () => {
    const io = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main(['--backend', 'file', '--ops', '20', '--out', 'results'], io)).toBe(2);
    expect(io.stderr.text).toContain('@konserve-rx/fs');
    expect(io.stderr.text).not.toContain('warm-up');
    expect(io.stdout.text).toBe('');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('still runs the memory backend', async () => {
    const io = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main(['--backend', 'memory', '--ops', '20', '--warmup', '0', '--no-progress', '--out', 'results'], io)).toBe(0);
    expect(io.stdout.text).toContain('memory backend, 20 ops');
  });
});
