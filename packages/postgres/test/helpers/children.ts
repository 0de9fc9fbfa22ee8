/** The postgres package's child processes: the shared helpers of test-support/children.ts, bound to packages/postgres. */
import { join } from 'node:path';
import { requireBuilt, startNodeChild, type Child } from '../../../../test-support/children';

export type { Child } from '../../../../test-support/children';

/** Fails clearly unless packages/postgres is built: the children `require` its dist. */
export function ensureBuilt(): void {
  requireBuilt('packages/postgres');
}

/** Starts `packages/postgres/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  return startNodeChild(join(__dirname, '..', 'children', script), args);
}
