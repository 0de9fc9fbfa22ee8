/**
 * Every `ts` code block of the READMEs type-checks against the built packages, so a snippet a
 * reader copies compiles. Each block is its own module (top-level `await` allowed); the names a
 * snippet uses without defining (the `store` it works on, say) are declared in PRELUDE below, so
 * a snippet shows only what it is about.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
// inside node_modules (ignored by git), so the snippets resolve the workspace packages like an app
const OUT = join(ROOT, 'node_modules', '.cache', 'konserve-rx-snippets');

/** Names snippets may use without declaring them. */
const PRELUDE = `
import type { BackingStore, Key, Store } from '@konserve-rx/core';
import type { Observable } from 'rxjs';
declare global {
  /** The store a snippet works on. */
  const store: Store;
  /** A backing a snippet wraps. */
  const backing: BackingStore;
  /** Records a snippet imports. */
  const people: { id: number; name: string }[];
  /** A repair step of the reader's own. */
  function repair(): void;
  /** The connect function of the reader's own backend (the "Writing a backend" section). */
  function connectMyStore(options: object): Observable<Store>;
  /** The reader's own walk over the pointers from a root. */
  function reachableFrom(store: Store, root: Key): Promise<Key[]>;
}
export {};
`;

/** The README files whose snippets are checked. */
function readmes(): string[] {
  const packages = readdirSync(join(ROOT, 'packages')).map((p) => join('packages', p, 'README.md'));
  return ['README.md', ...packages].filter((f) => {
    try {
      readFileSync(join(ROOT, f));
      return true;
    } catch {
      return false;
    }
  });
}

/** The `ts` blocks of a markdown file, with the line each starts on. */
function snippets(file: string): { line: number; code: string }[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const out: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    out.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

describe('README snippets', () => {
  it('every ts block of README.md and the package READMEs type-checks', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'prelude.d.ts'), PRELUDE);
    const files = new Map<string, string>();
    for (const readme of readmes()) {
      for (const { line, code } of snippets(readme)) {
        const name = join(OUT, `${readme.replace(/[/.]/g, '_')}_L${line}.ts`);
        writeFileSync(name, `${code}\nexport {};\n`);
        files.set(name, `${readme}:${line}`);
      }
    }
    expect(files.size).toBeGreaterThan(10);
    const program = ts.createProgram([join(OUT, 'prelude.d.ts'), ...files.keys()], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? (files.get(d.file.fileName) ?? relative(ROOT, d.file.fileName)) : '';
      const at = d.file && d.start !== undefined ? ` (snippet line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : '';
      return `${where}${at}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
    expect(problems).toEqual([]);
  }, 120_000);
});
