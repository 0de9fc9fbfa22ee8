/** The postgres package's child processes: the shared helpers of test-support/children.ts, bound to packages/postgres. */
import { join } from 'node:path';
import { buildPackage, startNodeChild, type Child } from '../../../../test-support/children';

export type { Child } from '../../../../test-support/children';

/** Builds packages/postgres (and core), which the children `require`. */
export function ensureBuilt(): void {
  buildPackage('postgres');
}

/** Starts `packages/postgres/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  return startNodeChild(join(__dirname, '..', 'children', script), args);
}
