/** The fs package's child processes: the shared helpers of test-support/children.ts, bound to packages/fs. */
import { join } from 'node:path';
import { buildPackage, startNodeChild, type Child } from '../../../../test-support/children';

export type { Child } from '../../../../test-support/children';

/** Builds packages/fs (and core), which the children `require`. */
export function ensureBuilt(): void {
  buildPackage('fs');
}

/** Starts `packages/fs/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  return startNodeChild(join(__dirname, '..', 'children', script), args);
}
