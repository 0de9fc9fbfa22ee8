/** The redis package's child processes: the shared helpers of test-support/children.ts, bound to packages/redis. */
import { join } from 'node:path';
import { buildPackage, startNodeChild, type Child } from '../../../../test-support/children';

export type { Child } from '../../../../test-support/children';

/** Builds packages/redis (and core), which the children `require`. */
export function ensureBuilt(): void {
  buildPackage('redis');
}

/** Starts `packages/redis/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  return startNodeChild(join(__dirname, '..', 'children', script), args);
}
