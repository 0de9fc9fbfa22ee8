#!/usr/bin/env node
// Run by lerna's `version` lifecycle (root package.json), after it bumped every package: lerna
// moves internal dependencies and devDependencies to the new version but leaves peerDependencies
// alone, so an internal peer (the bench CLI's optional @konserve-rx/fs) would keep naming the old
// version. This sets every internal peer range to `^<new version>`, as lerna does for the others.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const version = JSON.parse(readFileSync(join(root, 'lerna.json'), 'utf8')).version;
for (const dir of workspaces) {
  const file = join(root, dir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  let changed = false;
  for (const name of Object.keys(manifest.peerDependencies ?? {})) {
    if (name.startsWith('@konserve-rx/') && manifest.peerDependencies[name] !== `^${version}`) {
      manifest.peerDependencies[name] = `^${version}`;
      changed = true;
    }
  }
  if (changed) writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
