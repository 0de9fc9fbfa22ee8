import { describe, expect, it, jest } from '@jest/globals';
import { createProgress, renderLine } from '../src/progress';

/** What a terminal shows after `text`: `\r` returns to the line start, ESC[K clears to the line end, `\n` starts a line. */
function screen(text: string): string[] {
  const lines = [''];
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const row = lines.length - 1;
    const line = lines[row] as string;
    if (text.startsWith('\x1b[K', i)) {
      lines[row] = line.slice(0, col);
      i += 2;
    } else if (text[i] === '\r') col = 0;
    else if (text[i] === '\n') {
      lines.push('');
      col = 0;
    } else {
      lines[row] = line.slice(0, col).padEnd(col) + (text[i] as string) + line.slice(col + 1);
      col++;
    }
  }
  return lines;
}

function sink(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } {
  return {
    isTTY,
    text: '',
    write(t: string) {
      this.text += t;
    },
  };
}

describe('progress', () => {
  it('sets up its number formatting when it loads, not on the first redraw inside a timed run', () => {
    // the first formatting of a number in a process loads the locale data (about 15 ms): a redraw
    // must not be the first, or every operation in flight waits for it
    const format = jest.spyOn(Intl, 'NumberFormat');
    const localized = jest.spyOn(Number.prototype, 'toLocaleString');
    try {
      expect(renderLine('store', 6000, 10000, 10, 500)).toBe('store [######----]  60% 6000/10000 12,000 ops/s eta 0.3s');
      expect(format).not.toHaveBeenCalled();
      expect(localized).not.toHaveBeenCalled();
    } finally {
      format.mockRestore();
      localized.mockRestore();
    }
  });

  it('renders bar, percentage, count, rate and ETA', () => {
    expect(renderLine('store', 50, 100, 10, 1000)).toBe('store [#####-----]  50% 50/100 50 ops/s eta 1.0s');
    expect(renderLine('x', 0, 0, 4, 0)).toBe('x [####] 100% 0/0 0 ops/s eta 0.0s');
  });

  it('redraws in place on a TTY, at most once per interval', () => {
    let t = 0;
    const out = sink(true);
    const p = createProgress({ total: 100, stream: out, width: 10, intervalMs: 100, now: () => t });
    for (let i = 0; i < 100; i++) {
      t += 5;
      p.tick();
    }
    p.done();
    const frames = out.text.split('\r').filter(Boolean);
    expect(frames.length).toBeGreaterThanOrEqual(5);
    expect(frames.length).toBeLessThanOrEqual(7);
    expect(frames[frames.length - 1]).toMatch(/^progress \[##########\] 100% 100\/100 .*\n$/);
    expect(out.text.split('\n')).toHaveLength(2);
  });

  it('clears the rest of the line on every redraw, so a shorter line leaves no stale characters (no "eta 0.0ss")', () => {
    let t = 0;
    const out = sink(true);
    const p = createProgress({ total: 1000, stream: out, width: 10, intervalMs: 0, now: () => t });
    t = 1;
    p.tick(); // 1,000 ops/s, eta 999.0s: a long line
    t = 1_000_000;
    for (let i = 1; i < 1000; i++) p.tick();
    p.done(); // 1 ops/s, eta 0.0s: a shorter one
    expect(screen(out.text)).toEqual([renderLine('progress', 1000, 1000, 10, 1_000_000), '']);
    expect(screen(out.text)[0]).toMatch(/eta 0\.0s$/);
  });

  it('prints a plain line per quarter and a final line otherwise', () => {
    const out = sink(false);
    const p = createProgress({ total: 1000, stream: out, label: 'run' });
    for (let i = 0; i < 1000; i++) p.tick();
    p.done();
    const lines = out.text.trim().split('\n');
    expect(lines.map((l) => l.match(/(\d+)%/)?.[1])).toEqual(['25', '50', '75', '100']);
    expect(out.text).not.toContain('\r');
  });
});
