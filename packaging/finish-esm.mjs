// Finishes the ES module build that `tsc -b` writes to dist/esm/ of every package with a
// tsconfig.esm.json: each `.js` becomes `.mjs`, and each relative import names its file in full
// (`./store` -> `./store/index.mjs`). Why: the packages are `"type": "commonjs"`, under which
// webpack parses a `.js` as CommonJS only; `.mjs` is an ES module to every bundler, and an ES
// module's relative imports must be fully specified. Typings and source maps are the CommonJS
// build's (tsconfig.esm.json emits no maps, and package.json `files` leaves its .d.ts out).
// Idempotent: tsc re-emits `.js` only when a source changed. Usage: node packaging/finish-esm.mjs
// (`--clean`: remove dist/esm/).
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** A relative specifier after `from`, `import` or `import(`, in tsc's output (single quotes or double). */
const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.\.?\/[^'"]*)\2/g;

/** The fully specified form of `spec`, imported from a file in `dir`. */
function fullySpecified(dir, spec, file) {
  const target = join(dir, spec);
  if (existsSync(`${target}.js`) || existsSync(`${target}.mjs`)) return `${spec}.mjs`;
  if (existsSync(join(target, 'index.js')) || existsSync(join(target, 'index.mjs'))) return `${spec}/index.mjs`;
  throw new Error(`${file}: cannot resolve ${spec}`);
}

/** Every `.js` file under `dir`, recursively. */
function scripts(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => path.endsWith('.js') && statSync(path).isFile());
}

const clean = process.argv.includes('--clean');
for (const pkg of readdirSync(join(ROOT, 'packages'))) {
  const esm = join(ROOT, 'packages', pkg, 'dist', 'esm');
  if (!existsSync(join(ROOT, 'packages', pkg, 'tsconfig.esm.json')) || !existsSync(esm)) continue;
  // `tsc -b --clean` removes only the files it emits, not the renamed ones
  if (clean) {
    rmSync(esm, { recursive: true, force: true });
    continue;
  }
  const files = scripts(esm);
  // rewrite every file before renaming any, so that resolution sees the emitted `.js` names
  const rewritten = files.map((file) =>
    readFileSync(file, 'utf8').replace(RELATIVE_IMPORT, (_, head, q, spec) => `${head}${q}${fullySpecified(dirname(file), spec, file)}${q}`),
  );
  files.forEach((file, i) => {
    writeFileSync(file, rewritten[i]);
    renameSync(file, file.replace(/\.js$/, '.mjs'));
  });
}
