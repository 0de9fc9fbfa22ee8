/**
 * Browser bundle size of core + memory + indexeddb as published (built dist), rxjs apart: esbuild
 * for the browser, minified, gzip level 9. Each entry is bundled twice from the same dist: with the
 * bundler's default conditions (`browser` + `module`: the ES module build, tree-shaken) and with
 * `browser` alone (the CommonJS build, which a bundler cannot tree-shake, as jest-jsdom sees it).
 * Prints a markdown table and writes bench/results/bundle-size.json.
 * Run after `npm run build`: `node bench/dist/bundle-size.js`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** What an app imports, as module source. */
const ENTRIES: Record<string, string> = {
  'app (connectStore, createStore, connectMemoryStore, connectIndexedDbStore)': [
    "export { connectStore, createStore } from '@konserve-rx/core';",
    "export { connectMemoryStore } from '@konserve-rx/memory';",
    "export { connectIndexedDbStore } from '@konserve-rx/indexeddb';",
  ].join('\n'),
  'every export of the three packages': [
    "export * from '@konserve-rx/core';",
    "export * from '@konserve-rx/memory';",
    "export * from '@konserve-rx/indexeddb';",
  ].join('\n'),
};

/** The two builds a bundler can pick: `undefined` keeps esbuild's default conditions. */
const BUILDS: Record<string, string[] | undefined> = { 'ES module build': undefined, 'CommonJS build': [] };

/** One bundle measured. */
interface Row {
  readonly entry: string;
  readonly build: string;
  readonly minified: number;
  readonly gzipped: number;
  /** Minified bytes per origin: a package of ours, or a dependency. */
  readonly byOrigin: Record<string, number>;
}

async function measure(entry: string, buildName: string): Promise<Row> {
  const conditions = BUILDS[buildName];
  const result = await build({
    stdin: { contents: ENTRIES[entry]!, resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    external: ['rxjs'],
    logLevel: 'silent',
    tsconfigRaw: {},
    ...(conditions ? { conditions } : {}),
  });
  const code = result.outputFiles[0]!.text;
  return { entry, build: buildName, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, byOrigin: origins(result.metafile) };
}

/** Sums the output bytes of each input by the package it comes from. */
function origins(metafile: Metafile): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (file === '<stdin>') continue;
      const origin = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? /^packages\/([^/]+)/.exec(file)?.[1] ?? file;
      sums[origin] = (sums[origin] ?? 0) + bytesInOutput;
    }
  }
  return sums;
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const entry of Object.keys(ENTRIES)) for (const buildName of Object.keys(BUILDS)) rows.push(await measure(entry, buildName));
  const origins = [...new Set(rows.flatMap((r) => Object.keys(r.byOrigin)))].sort();
  console.log(`| entry | build | min+gz KB | min KB | ${origins.map((o) => `${o} min KB`).join(' | ')} |`);
  console.log(`| --- | --- | --- | --- | ${origins.map(() => '---').join(' | ')} |`);
  for (const r of rows) {
    const parts = origins.map((o) => kb(r.byOrigin[o] ?? 0));
    console.log(`| ${r.entry} | ${r.build} | ${kb(r.gzipped)} | ${kb(r.minified)} | ${parts.join(' | ')} |`);
  }
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bundle-size.json'), `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
