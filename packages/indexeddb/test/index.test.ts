/** The documented exports of @konserve-rx/indexeddb exist. */
import { describe, expect, it } from '@jest/globals';
import * as indexeddb from '@konserve-rx/indexeddb';

describe('@konserve-rx/indexeddb exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(indexeddb).sort()).toEqual(
      ['INDEXEDDB_BACKEND_NAME', 'connectIndexedDbStore', 'deleteIndexedDbStore', 'indexedDbBacking', 'indexedDbStoreExists'].sort(),
    );
    expect(indexeddb.INDEXEDDB_BACKEND_NAME).toBe('indexeddb');
  });
});
