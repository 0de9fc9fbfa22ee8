/** A full garbage collection between measured runs, so no run pays for the previous one's garbage. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * Runs a full, synchronous garbage collection when the runtime allows it. Without this, the
 * baseline run that follows a store run would spend its time collecting the store's garbage.
 * Uses `global.gc` when Node runs with `--expose-gc`, else enables the flag at runtime.
 * @returns true when a collection ran
 */
export function collectGarbage(): boolean {
  if (gc === undefined) gc = findGc();
  if (gc === null) return false;
  gc();
  return true;
}

function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    return typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    return null;
  }
}
