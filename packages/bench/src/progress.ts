/** A dependency-free progress indicator: a redrawn bar on a TTY, a few plain lines otherwise. */
import { performance } from 'node:perf_hooks';

/** Where progress goes: a writable stream, with `isTTY` when it is a terminal. */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** True when the stream is a terminal (then the bar is redrawn in place). */
  isTTY?: boolean;
}

/**
 * Erases from the cursor to the end of the line (ANSI "EL"). A redrawn line can be shorter than
 * the one before it (the ETA and the rate lose digits), and without this the old line's tail
 * stays on screen ("eta 0.0ss").
 */
const CLEAR_TO_EOL = '\x1b[K';

/**
 * The rate's digit grouping (`12,345`), made once when the module loads. The first number a
 * process formats loads the locale data: about 15 ms here. Made on the first redraw, inside the
 * timed run, that pause held every operation in flight (a CLI run's p99 rose by about 10 ms).
 */
const RATE_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** How many steps make 100%. */
  total: number;
  /** Where to draw. */
  stream: ProgressStream;
  /** A short name before the bar. @default 'progress' */
  label?: string;
  /** The bar's width in characters. @default 30 */
  width?: number;
  /** The least time between two redraws, in milliseconds. @default 80 */
  intervalMs?: number;
  /** The clock, in milliseconds. @default performance.now */
  now?: () => number;
}

/** A running progress indicator. */
export interface Progress {
  /** Counts `n` more finished steps (default 1), redrawing when due. */
  tick(n?: number): void;
  /** Draws the final state and ends the line. */
  done(): void;
}

/**
 * Creates a progress indicator: on a TTY a bar redrawn in place at most every `intervalMs`, with
 * rate and ETA; otherwise one line at each quarter, so logs stay short.
 * @param options - total, stream, label, width, redraw interval and clock
 * @returns the indicator
 */
export function createProgress(options: ProgressOptions): Progress {
  const { total, stream, label = 'progress', width = 30, intervalMs = 80 } = options;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let count = 0;
  let lastDraw = -Infinity;
  let quarter = 0;
  const line = (): string => renderLine(label, count, total, width, now() - start);
  return {
    tick(n = 1) {
      count += n;
      if (stream.isTTY) {
        const t = now();
        if (t - lastDraw < intervalMs) return;
        lastDraw = t;
        stream.write(`\r${line()}${CLEAR_TO_EOL}`);
      } else {
        const q = Math.floor((4 * count) / Math.max(1, total));
        if (q > quarter && q < 4) stream.write(`${line()}\n`);
        quarter = Math.max(quarter, q);
      }
    },
    done() {
      stream.write(stream.isTTY ? `\r${line()}${CLEAR_TO_EOL}\n` : `${line()}\n`);
    },
  };
}

/**
 * One progress line, e.g. `store [#########-----] 60% 6000/10000 12,345 ops/s eta 0.3s`.
 * @returns the line without a line break
 */
export function renderLine(label: string, count: number, total: number, width: number, elapsedMs: number): string {
  const share = total > 0 ? Math.min(1, count / total) : 1;
  const filled = Math.round(share * width);
  const rate = elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? Math.max(0, (total - count) / rate) : 0;
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const pct = `${Math.floor(share * 100)}%`.padStart(4);
  return `${label} ${bar} ${pct} ${count}/${total} ${RATE_FORMAT.format(Math.round(rate))} ops/s eta ${eta.toFixed(1)}s`;
}
