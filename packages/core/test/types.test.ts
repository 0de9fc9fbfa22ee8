/**
 * Runs the compile-time tests in `test/types/` through the TypeScript compiler and fails on any
 * diagnostic, including an `@ts-expect-error` line that no longer errors.
 *
 * Why not leave this to ts-jest: `tsconfig.base.json` sets `isolatedModules`, which makes ts-jest
 * transpile each file on its own without type checking, so a type error in a test file would
 * pass. A canary file with a known error proves that this check reports errors at all.
 */
import { describe, expect, it } from '@jest/globals';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const TYPE_TESTS = ['store-types.ts', 'operator-types.ts'].map((f) => path.join(__dirname, 'types', f));
const CANARY = path.join(__dirname, 'types', '__canary__.ts');
const CANARY_TEXT = [
  "import type { Schema, Store } from '@konserve-rx/core';",
  'declare const store: Store<Schema<{ count: number }>>;',
  "store.assoc('count', 'one');",
].join('\n');

/** Type-checks `files` (plus the canary) with the test tsconfig; returns diagnostics by file. */
function check(files: string[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.test.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('cannot read tsconfig.test.json');
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, isolatedModules: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    path.resolve(name) === CANARY ? ts.createSourceFile(name, CANARY_TEXT, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === CANARY || fileExists(name);
  const program = ts.createProgram([...files, CANARY], options, host);
  const byFile = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? path.relative(ROOT, d.file.fileName) : '(global)';
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const list = byFile.get(file) ?? [];
    list.push(`${file}:${line} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    byFile.set(file, list);
  }
  return byFile;
}

describe('typed Store API (compile-time)', () => {
  const diagnostics = check(TYPE_TESTS);
  const ours = (file: string): string[] => diagnostics.get(path.relative(ROOT, file)) ?? [];

  it('reports a known type error (the check is live)', () => {
    expect(ours(CANARY).join('\n')).toMatch(/TS2345/);
  });

  for (const file of TYPE_TESTS) {
    it(`${path.basename(file)} compiles, and every @ts-expect-error line is an error`, () => {
      expect(ours(file)).toEqual([]);
    });
  }

  it('the Store contract and the operators compile', () => {
    const contract = [...diagnostics.keys()].filter((f) => /packages\/core\/src\/(store|schema)\.ts$|packages\/core\/src\/operators\//.test(f));
    expect(contract.flatMap((f) => diagnostics.get(f) ?? [])).toEqual([]);
  });
});
