/**
 * Loading @konserve-rx/redis leaves String.prototype in V8's fast mode. ioredis's String subclass
 * turns it into dictionary mode, and with it every `charCodeAt` on a string in the process
 * becomes about 5x slower (cbor-x's encoding among them). V8's own `%HasFastProperties` tells
 * which mode an object is in; it needs `--allow-natives-syntax`, so a child process checks.
 */
import { beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { ensureBuilt } from './helpers/children';

function fastAfter(requires: string[]): boolean {
  const script = `${requires.map((m) => `require(${JSON.stringify(m)});`).join('')} process.stdout.write(String(%HasFastProperties(String.prototype)));`;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { cwd: __dirname, encoding: 'utf8' });
  return out === 'true';
}

beforeAll(ensureBuilt);

test('ioredis alone leaves String.prototype slow (what the package undoes)', () => {
  // if this starts failing, ioredis or V8 no longer has the problem and fast-strings.ts can go
  expect(fastAfter(['ioredis'])).toBe(false);
});

test('loading @konserve-rx/redis leaves String.prototype fast', () => {
  expect(fastAfter(['@konserve-rx/redis'])).toBe(true);
});

test('String.prototype stays fast when ioredis was loaded before the package, and after a verbatim string is made', () => {
  expect(fastAfter(['ioredis', '@konserve-rx/redis', 'ioredis/built/resp/verbatim-string.js'])).toBe(true);
});
