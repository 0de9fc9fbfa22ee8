/** The documented public surface of @konserve-rx/fs. */
import { describe, expect, it } from '@jest/globals';
import * as fs from '@konserve-rx/fs';

describe('@konserve-rx/fs exports', () => {
  it('exports the documented names and nothing else', () => {
    expect(Object.keys(fs).sort()).toEqual(['FILE_BACKEND_NAME', 'connectFileStore', 'deleteFileStore', 'fileBacking']);
    expect(fs.FILE_BACKEND_NAME).toBe('file');
    expect(typeof fs.fileBacking).toBe('function');
    expect(typeof fs.connectFileStore).toBe('function');
    expect(typeof fs.deleteFileStore).toBe('function');
  });

  it('declares the capabilities of a durable, multi-process, asynchronous backing', () => {
    expect(fs.fileBacking({ path: '/nonexistent/never-opened' }).capabilities).toEqual({
      syncResults: false,
      atomicMulti: false,
      durable: true,
      multiProcess: true,
    });
  });
});
