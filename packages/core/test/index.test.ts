import { describe, expect, it } from '@jest/globals';
import * as core from '@konserve-rx/core';
import * as testing from '@konserve-rx/core/testing';

describe('@konserve-rx/core exports', () => {
  it('has the documented runtime names', () => {
    for (const name of [
      'createStore',
      'inspectStore',
      'KonserveError',
      'KONSERVE_ERROR_CODES',
      'isKonserveError',
      'cborSerializer',
      'connectStore',
      'registerBackend',
      'toAsync',
      'eachValueOf',
      'lockIdOf',
      'lockLost',
      'sweep',
      'safePoint',
      'unreferencedWrites',
    ]) {
      expect(core).toHaveProperty(name);
    }
  });

  it('lists every stable error code of DESIGN.md', () => {
    expect([...core.KONSERVE_ERROR_CODES].sort()).toEqual(
      [
        'ERR_NOT_SERIALIZABLE',
        'ERR_CORRUPT',
        'ERR_FORMAT',
        'ERR_IO',
        'ERR_CLOSED',
        'ERR_DECRYPT',
        'ERR_INVALID_KEY',
        'ERR_INVALID_ARGUMENT',
        'ERR_UNKNOWN_BACKEND',
        'ERR_SIMULATED_FAILURE',
        'ERR_LOCKED',
        'ERR_LOCK_LOST',
      ].sort(),
    );
  });

  it('exports the compliance suite from the ./testing subpath', () => {
    expect(typeof testing.runStoreCompliance).toBe('function');
    expect(typeof testing.expiryTests).toBe('function');
    expect(typeof testing.virtualClock).toBe('function');
    expect(typeof testing.runCodecCompliance).toBe('function');
  });
});
