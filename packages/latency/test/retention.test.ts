/**
 * A latency backing that is dropped with calls still waiting is garbage: nothing module-wide keeps
 * it. Its waiting calls are held by its scheduler's queue only (as Node's timer lists hold real
 * ones), so once the backing and its scheduler go, so do they.
 */
import { expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { VirtualTimeScheduler } from 'rxjs';
import { latencyBacking } from '../src/latency-backing';
import { mapBacking } from './helpers/map-backing';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Parks a read on a backing whose clock never moves, and returns weak references to both. */
function parkAndDrop(): { backing: WeakRef<object>; call: WeakRef<object> } {
  const backing = latencyBacking(mapBacking(), { latency: 60_000, scheduler: new VirtualTimeScheduler() });
  const call = backing.read('k');
  call.then(undefined, () => undefined);
  return { backing: new WeakRef(backing), call: new WeakRef(call) };
}

it('a dropped backing and the calls it still had waiting are collected', async () => {
  const refs = parkAndDrop();
  // let the frames that held them go, then collect (twice: weak references clear in one pass)
  await new Promise((r) => setImmediate(r));
  gc();
  gc();
  // before: a module-level slot kept the last call's settle functions, and through them its
  // promise, the backing and every call still waiting on it
  expect(refs.call.deref()).toBeUndefined();
  expect(refs.backing.deref()).toBeUndefined();
});
