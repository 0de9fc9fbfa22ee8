/**
 * What a backing wrapper passes through unchanged (change notices, counters) reaches a Store over
 * every wrapper of this repository: `inspectStore` sees the inner backing's counters, and a
 * backing without them gives a wrapper without them.
 */
import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { createStore, inspectStore, passThrough, type BackingStore, type ChangeNotice } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

function counted(): BackingStore & { notices: ChangeNotice[] } {
  const notices: ChangeNotice[] = [];
  return { ...referenceBacking(), inspect: () => ({ sweeps: 3 }), announce: (n) => void notices.push(n), remoteChanges: new Subject<ChangeNotice>(), notices };
}

describe('passThrough', () => {
  it('copies announce, remoteChanges and inspect of the inner backing, calling them on it', () => {
    const inner = counted();
    const wrapper = passThrough({ ...referenceBacking() }, inner);
    expect(wrapper.inspect?.()).toEqual({ sweeps: 3 });
    expect(wrapper.remoteChanges).toBe(inner.remoteChanges);
    const notice = { op: 'assoc', id: 'x', meta: new Uint8Array(), deleted: false } as const;
    wrapper.announce?.(notice);
    expect(inner.notices).toEqual([notice]);
    expect(inspectStore(createStore(wrapper)).backing).toEqual({ sweeps: 3 });
  });

  it('adds nothing the inner backing lacks', () => {
    const wrapper = passThrough({ ...referenceBacking() }, referenceBacking());
    expect(['announce', 'remoteChanges', 'inspect'].filter((m) => m in wrapper)).toEqual([]);
  });
});
