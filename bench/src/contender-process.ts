/**
 * The child side of `isolated.ts`: builds one contender from the `open` request, then answers each
 * `time` request with the wall and CPU time of running the operations here (so the clocks count
 * this contender's work alone, not the messaging). Ends when the parent disconnects.
 */
import { DURABLE_KINDS } from './contenders/durable';
import { openMemoryContender } from './contenders/memory';
import type { Contender } from './contenders/contender';
import { DOCUMENTS } from './fixture';
import { timePool } from './harness';
import type { ContenderSpec, FromChild, ToChild } from './isolated';

async function open(spec: ContenderSpec): Promise<Contender> {
  const doc = DOCUMENTS[spec.doc];
  if (spec.section === 'memory') return openMemoryContender(spec.name, spec.keys, doc);
  const kind = DURABLE_KINDS.find((k) => k.name === spec.kind);
  if (kind === undefined) throw new Error(`no durable contender named ${spec.kind}`);
  return kind.open(spec.dir, spec.keys, spec.fsync, doc);
}

let contender: Contender | undefined;

async function answer(m: ToChild): Promise<FromChild> {
  if (m.type === 'open') {
    contender = await open(m.spec);
    return { type: 'ready' };
  }
  const c = contender!;
  return { type: 'timed', ...(await timePool(m.count, m.inFlight, m.op === 'get' ? c.get : c.put)) };
}

process.on('message', (m: ToChild) => {
  answer(m).then(
    (reply) => process.send!(reply),
    (e: unknown) => process.send!({ type: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies FromChild),
  );
});
process.on('disconnect', () => {
  void (contender?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
