import { describe, expect, it } from '@jest/globals';
import * as latency from '@konserve-rx/latency';

describe('@konserve-rx/latency exports', () => {
  it('has exactly the documented runtime names', () => {
    expect(Object.keys(latency).sort()).toEqual(
      [
        'BACKING_OPS',
        'DEFAULT_LATENCY',
        'LATENCY_BACKEND_NAME',
        'READ_OPS',
        'WRITE_OPS',
        'connectLatencyStore',
        'createSampler',
        'latencyBacking',
        'percentile',
        'standardNormal',
        'summarize',
      ].sort(),
    );
    expect(latency.LATENCY_BACKEND_NAME).toBe('latency');
    expect(latency.DEFAULT_LATENCY).toEqual({ distribution: 'uniform', min: 0, max: 5 });
  });

  it('splits every backing operation into reads and writes', () => {
    expect([...latency.READ_OPS, ...latency.WRITE_OPS].sort()).toEqual([...latency.BACKING_OPS].sort());
    expect(latency.BACKING_OPS).toHaveLength(11);
  });
});
