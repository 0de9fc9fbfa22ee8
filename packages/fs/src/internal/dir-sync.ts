/**
 * Coalesced folder fsyncs (group commit). Many writes into one folder that finish their rename
 * while an fsync of that folder is queued share it: with 64 writes in flight, a handful of
 * fsyncs cover all of them instead of 64.
 */
import { fsyncDir } from './fs-util';

/** Flushes `dir` after every rename already done in it; resolves when that is durable. */
export type DirSync = (dir: string) => Promise<void>;

interface DirState {
  /** An fsync that has not started yet: joining it covers renames done before the call. */
  queued?: Promise<void> | undefined;
  /** The fsync in progress: too late to cover a rename done now. */
  running?: Promise<void> | undefined;
}

/** Creates a coalescing {@link DirSync}; one per backing. */
export function createDirSync(sync: (dir: string) => Promise<void> = fsyncDir): DirSync {
  const states = new Map<string, DirState>();
  return (dir) => {
    let s = states.get(dir);
    if (s === undefined) states.set(dir, (s = {}));
    if (s.queued) return s.queued;
    const state = s;
    const queued = (state.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        state.queued = undefined;
        const run = sync(dir);
        state.running = run;
        const done = (): void => {
          if (state.running !== run) return;
          state.running = undefined;
          if (!state.queued && states.get(dir) === state) states.delete(dir);
        };
        run.then(done, done);
        return run;
      });
    state.queued = queued;
    return queued;
  };
}
