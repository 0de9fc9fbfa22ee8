import { describe, expect, it } from '@jest/globals';
import * as memory from '@konserve-rx/memory';

describe('@konserve-rx/memory exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(memory).sort()).toEqual(['MEMORY_BACKEND_NAME', 'connectMemoryStore', 'memoryBacking']);
    expect(memory.MEMORY_BACKEND_NAME).toBe('memory');
  });
});
