/**
 * Exclusive locks per blob id within one backing. Core already orders the writers of one Store,
 * but several Stores (or a cache and its store) may share one backing: under the exclusive lease
 * these locks are the only thing keeping their writes to one id apart.
 */

/** Per-id exclusive locks, granted in request order. */
export interface LocalLocks {
  /** Resolves with the release once every earlier holder of `id` released. */
  acquire(id: string): Promise<() => void>;
}

/** Creates an empty set of per-id locks; ids nobody holds take no memory. */
export function createLocalLocks(): LocalLocks {
  const tails = new Map<string, Promise<void>>();
  return {
    acquire: async (id) => {
      const previous = tails.get(id);
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      tails.set(id, mine);
      if (previous !== undefined) await previous;
      return () => {
        if (tails.get(id) === mine) tails.delete(id);
        release();
      };
    },
  };
}
