/** The fs package's child processes: the shared helpers of test-support/children.ts, bound to packages/fs. */
import { join } from 'node:path';
import { requireBuilt, startNodeChild, type Child } from '../../../../test-support/children';

export type { Child } from '../../../../test-support/children';

/** Fails clearly unless packages/fs is built: the children `require` its dist. */
export function ensureBuilt(): void {
  requireBuilt('packages/fs');
}

/** Starts `packages/fs/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  return startNodeChild(join(__dirname, '..', 'children', script), args);
}
