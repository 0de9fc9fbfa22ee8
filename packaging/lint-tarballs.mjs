// Lints packed tarballs the way a registry user meets them: publint (package.json against the
// files really shipped) and arethetypeswrong (typings under node10, node16 CJS/ESM and bundler
// resolution), in one process so TypeScript loads once. Usage: node lint-tarballs.mjs a.tgz ...
// Prints one JSON object: { [tarball]: string[] } listing every problem; [] means clean.
import { readFile } from 'node:fs/promises';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';

/** Every publint message (suggestions included) and every attw problem of one tarball. */
async function lint(tarball) {
  const bytes = await readFile(tarball);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: buffer }, level: 'suggestion', strict: true });
  const problems = messages.map((m) => `publint ${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false }) ?? ''}`);
  const result = await checkPackage(createPackageFromTarballData(new Uint8Array(bytes)));
  if (result.types === false) problems.push('attw: the package ships no typings');
  else for (const p of result.problems) problems.push(`attw ${p.kind}: ${JSON.stringify(p)}`);
  return problems;
}

const report = {};
for (const tarball of process.argv.slice(2)) report[tarball] = await lint(tarball);
process.stdout.write(JSON.stringify(report));
