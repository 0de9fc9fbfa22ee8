/** The redis package's child processes: the shared helpers of test-support/children.ts, bound to packages/redis. */
import { join } from 'node:path';
import { requireBuilt, startNodeChild, type Child } from '../../../../test-support/children';

export type { Child } from '../../../../test-support/children';

/** Fails clearly unless packages/redis is built: the children `require` its dist. */
export function ensureBuilt(): void {
  requireBuilt('packages/redis');
}

/** Starts `packages/redis/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  return startNodeChild(join(__dirname, '..', 'children', script), args);
}
