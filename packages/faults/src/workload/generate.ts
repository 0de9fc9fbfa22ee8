/**
 * Seeded random workloads: a small key space (so operations collide on keys and change their
 * types), JSON-like values with the odd corner (unicode, empty strings, undefined, bytes, big
 * integers), and every workload operation.
 */
import type { Key } from '@konserve-rx/core';
import { below, mulberry32, type Random } from '../internal/random';
import type { WorkloadOp, WorkloadOpName } from './ops';

/** Options of {@link randomWorkload}. */
export interface RandomWorkloadOptions {
  /** The seed; the same seed gives the same workload. */
  readonly seed: number;
  /**
   * How many operations.
   * @default 60
   */
  readonly steps?: number;
  /**
   * The top-level keys to pick from; equal keys may be written in different but equal forms.
   * @default DEFAULT_KEYS
   */
  readonly keys?: readonly Key[];
  /**
   * Relative weights of the operations.
   * @default DEFAULT_WEIGHTS
   */
  readonly weights?: Readonly<Partial<Record<WorkloadOpName, number>>>;
}

/** Top-level keys of generated workloads: strings, numbers (0 and -0 are one key), arrays and objects. */
export const DEFAULT_KEYS: readonly Key[] = ['a', 'b', '', 0, 7.5, ['x', 1], { doc: 'd', n: 2 }, '../../etc/passwd'];

/** Relative operation weights of generated workloads: writes and reads about evenly. */
export const DEFAULT_WEIGHTS: Readonly<Record<WorkloadOpName, number>> = {
  assoc: 6,
  assocIn: 4,
  update: 4,
  dissoc: 3,
  append: 4,
  multiAssoc: 2,
  multiDissoc: 1,
  bassoc: 2,
  get: 5,
  getIn: 2,
  exists: 2,
  log: 2,
  bget: 1,
  multiGet: 1,
  keys: 1,
};

const FIELDS = ['f0', 'f1', 'f2'];
const STRINGS = ['', 'x', 'hello', 'ünïcødé', '🙂 emoji', 'line\nbreak', '"quoted"', 'a'.repeat(300)];

/**
 * Generates a workload from a seed.
 * @param options - seed, length, key space and operation weights
 * @returns the operations, in order
 * @example
 * ```ts
 * const ops = randomWorkload({ seed: 1, steps: 100 });
 * ```
 */
export function randomWorkload(options: RandomWorkloadOptions): WorkloadOp[] {
  const random = mulberry32(options.seed);
  const keys = options.keys ?? DEFAULT_KEYS;
  const weights = Object.entries({ ...DEFAULT_WEIGHTS, ...options.weights }) as Array<[WorkloadOpName, number]>;
  const total = weights.reduce((n, [, w]) => n + w, 0);
  const pickOp = (): WorkloadOpName => {
    let x = random() * total;
    for (const [name, w] of weights) if ((x -= w) < 0) return name;
    return weights[weights.length - 1]![0];
  };
  const key = (): Key => variant(keys[below(random, keys.length)]!, random);
  return Array.from({ length: options.steps ?? 60 }, () => makeOp(pickOp(), key, random));
}

function makeOp(name: WorkloadOpName, key: () => Key, random: Random): WorkloadOp {
  const field = (): string => FIELDS[below(random, FIELDS.length)]!;
  const some = (): Key[] => Array.from({ length: 1 + below(random, 3) }, key);
  switch (name) {
    case 'assoc':
      return { op: 'assoc', key: key(), value: randomValue(random) };
    case 'assocIn':
      return { op: 'assocIn', key: key(), field: field(), value: randomValue(random, 1) };
    case 'update':
      return { op: 'update', key: key(), by: below(random, 10) - 3 };
    case 'dissoc':
      return { op: 'dissoc', key: key() };
    case 'append':
      return { op: 'append', key: key(), elem: randomValue(random, 1) };
    case 'multiAssoc':
      return { op: 'multiAssoc', entries: some().map((k) => [k, randomValue(random, 1)] as const) };
    case 'multiDissoc':
      return { op: 'multiDissoc', keys: some() };
    case 'bassoc':
      return { op: 'bassoc', key: key(), bytes: randomBytes(random, below(random, 3) === 0 ? 70_000 : 200), chunks: below(random, 4) };
    case 'get':
      return { op: 'get', key: key() };
    case 'getIn':
      return { op: 'getIn', key: key(), field: field() };
    case 'exists':
      return { op: 'exists', key: key() };
    case 'log':
      return { op: 'log', key: key() };
    case 'bget':
      return { op: 'bget', key: key() };
    case 'multiGet':
      return { op: 'multiGet', keys: some() };
    case 'keys':
      return { op: 'keys' };
  }
}

/** An equal form of `key`: object fields reordered, 0 as -0, a fresh array or object. */
function variant(key: Key, random: Random): Key {
  if (key === 0 && random() < 0.5) return -0;
  if (Array.isArray(key)) return [...(key as Key[])];
  if (key !== null && typeof key === 'object') {
    const fields = Object.keys(key);
    if (random() < 0.5) fields.reverse();
    return Object.fromEntries(fields.map((f) => [f, (key as Record<string, Key>)[f]!]));
  }
  return key;
}

/** A JSON-like value with corners: unicode, empty strings, large integers, bytes, undefined. */
export function randomValue(random: Random, depth = 0): unknown {
  const r = below(random, depth >= 2 ? 8 : 11);
  switch (r) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return below(random, 2_000_001) - 1_000_000;
    case 3:
      return random() < 0.5 ? 2 ** 40 + below(random, 1000) : -(2 ** 33);
    case 4:
      return below(random, 1000) / 8;
    case 5:
      return STRINGS[below(random, STRINGS.length)];
    case 6:
      return random() < 0.9 ? `s${below(random, 100)}` : undefined;
    case 7:
      return randomBytes(random, below(random, 20));
    case 8:
    case 9:
      return Object.fromEntries(Array.from({ length: below(random, 4) }, () => [FIELDS[below(random, 3)]!, randomValue(random, depth + 1)]));
    default:
      return Array.from({ length: below(random, 4) }, () => randomValue(random, depth + 1));
  }
}

function randomBytes(random: Random, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = below(random, 256);
  return out;
}
