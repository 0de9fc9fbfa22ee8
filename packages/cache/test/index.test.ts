import { describe, expect, it } from '@jest/globals';
import * as cache from '@konserve-rx/cache';

describe('@konserve-rx/cache exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(cache).sort()).toEqual([
      'CACHED_BACKEND_NAME',
      'DEFAULT_MAX_BYTES',
      'DEFAULT_MAX_ENTRIES',
      'TIERED_BACKEND_NAME',
      'cachedBacking',
      'connectCachedStore',
      'connectTieredStore',
      'tieredBacking',
    ]);
  });
});
