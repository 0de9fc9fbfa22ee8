/** Progress output of a run: one line per finished step on stderr (stdout keeps only the report). */

/** Where a section reports progress and notes. */
export interface Log {
  /** Step `done` of `total` of `section` finished. */
  progress(section: string, done: number, total: number): void;
  /** A free-form note. */
  note(text: string): void;
}

/** A Log writing to a stream: a redrawn line on a TTY, a line per 10% otherwise. */
export function streamLog(stream: { write(text: string): unknown; isTTY?: boolean }): Log {
  const lastDecile = new Map<string, number>();
  return {
    progress(section, done, total) {
      const pct = Math.floor((100 * done) / Math.max(1, total));
      if (stream.isTTY) {
        stream.write(`\r${section}: ${done}/${total} (${pct}%)   ${done === total ? '\n' : ''}`);
        return;
      }
      const decile = Math.floor(pct / 10);
      if (decile === lastDecile.get(section)) return;
      lastDecile.set(section, decile);
      stream.write(`${section}: ${done}/${total} (${pct}%)\n`);
    },
    note(text) {
      stream.write(`${text}\n`);
    },
  };
}

/** A Log that drops everything (tests). */
export const silentLog: Log = { progress: () => undefined, note: () => undefined };
