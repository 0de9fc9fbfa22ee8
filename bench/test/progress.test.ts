import { describe, expect, it } from '@jest/globals';
import { createProgress, renderLine } from '../src/progress';

function sink(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } {
  return { isTTY, text: '', write(t: string) { this.text += t; } };
}

describe('progress', () => {
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
