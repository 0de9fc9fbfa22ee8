/** Walking into values along a path: plain objects by field, arrays by index, Maps by key. */
import { invalidArgument } from '../errors';
import { isPlainObject } from '../format/key';
import { setField } from '../serializers/internal/cbor-types';

type Step = string | number;

/** The value at `steps` inside `value`, or `notFound` when a step is missing or not a collection. */
export function getPath(value: unknown, steps: readonly Step[], notFound: unknown): unknown {
  let current = value;
  for (const step of steps) {
    const found = child(current, step);
    if (found === MISSING || found === NOT_A_COLLECTION) return notFound;
    current = found;
  }
  return current;
}

/**
 * Returns `root` with the value at `steps` replaced by `fn(old)`, mutating `root` (a private
 * copy) in place and creating plain objects where the path is missing. Errors with
 * `ERR_INVALID_ARGUMENT` when the path runs through a value that is not a collection.
 */
export function updatePath(root: unknown, steps: readonly Step[], fn: (old: unknown) => unknown, key: unknown): unknown {
  if (steps.length === 0) return fn(root);
  const top: unknown = root === undefined || root === null ? {} : root;
  let current: unknown = top;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const found = child(current, step);
    if (found === NOT_A_COLLECTION) throw invalidArgument(`path step ${i + 1} (${String(step)}) runs through a value that is not a collection`, key);
    const existing = found === MISSING ? undefined : found;
    const value = last ? fn(existing) : existing === undefined || existing === null ? {} : existing;
    setChild(current, step, value, key);
    current = value;
  });
  return top;
}

const MISSING = Symbol('missing');
const NOT_A_COLLECTION = Symbol('not a collection');

function child(container: unknown, step: Step): unknown {
  if (container instanceof Map) return container.has(step) ? container.get(step) : MISSING;
  if (Array.isArray(container)) {
    const i = typeof step === 'number' ? step : Number(step);
    return Number.isInteger(i) && i >= 0 && i < container.length ? container[i] : MISSING;
  }
  if (isPlainObject(container)) return Object.prototype.hasOwnProperty.call(container, step) ? container[step] : MISSING;
  return container === undefined || container === null ? MISSING : NOT_A_COLLECTION;
}

function setChild(container: unknown, step: Step, value: unknown, key: unknown): void {
  if (container instanceof Map) container.set(step, value);
  else if (Array.isArray(container)) {
    const i = typeof step === 'number' ? step : Number(step);
    if (!Number.isInteger(i) || i < 0) throw invalidArgument(`path step ${String(step)} is not an array index`, key);
    container[i] = value;
  } else setField(container as Record<string, unknown>, String(step), value); // a "__proto__" step stays an own field
}
