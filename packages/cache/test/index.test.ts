import { describe, expect, it } from '@jest/globals';
import * as cache from '@konserve-rx/cache';

describe('@konserve-rx/cache exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(cache).sort()).toEqual(['DEFAULT_MAX_BYTES', 'DEFAULT_MAX_ENTRIES', 'cachedBacking', 'connectCachedStore', 'connectTieredStore', 'tieredBacking']);
  });
});
