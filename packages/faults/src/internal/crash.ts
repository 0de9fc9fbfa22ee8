/**
 * How the multi-step writes crash: a stream that stops after a few chunks, a batch that stops
 * after a few entries. A crash is a failure after part of the work, never a silent half-write:
 * whatever reached the inner backing is what a real crash at that point would have left.
 */
import { mapMaybe, type BackingStore, type BatchEntry, type MaybePromise } from '@konserve-rx/core';
import type { CrashApplied } from '../options';
import { below, type Random } from './random';

/** Reports a crash (how much was applied) and returns the error to throw. */
export type CrashReport = (applied: CrashApplied, entries?: number) => unknown;

/**
 * Streams through `inner.writeStream`, stopping after a random number (0 to 5) of chunks. When
 * the source has fewer chunks, the stream commits and the call fails afterwards (lost ack).
 */
export async function crashStream(
  inner: BackingStore,
  id: string,
  chunks: AsyncIterable<Uint8Array>,
  head: () => Uint8Array,
  random: Random,
  crash: CrashReport,
): Promise<void> {
  const cutAfter = below(random, 6);
  let cut = false;
  async function* cutting(): AsyncGenerator<Uint8Array> {
    let n = 0;
    for await (const chunk of chunks) {
      if (n++ === cutAfter) {
        cut = true;
        // thrown inside the inner's loop: it must discard what it wrote so far
        throw crash('none');
      }
      yield chunk;
    }
  }
  await inner.writeStream!(id, cutting(), head);
  if (cut) return;
  throw crash('all');
}

/**
 * Applies part of a batch, then fails. On a backing with atomic batches a crash midway applies
 * nothing (that is what atomic means); otherwise a non-empty proper prefix of the entries is
 * applied, in order, like a crash during the rename phase of the file backing. Half of the
 * crashes apply everything and fail afterwards instead (lost ack).
 */
export function crashBatch(inner: BackingStore, entries: readonly BatchEntry[], random: Random, crash: CrashReport): MaybePromise<void> {
  const lostAck = entries.length <= 1 || random() < 0.5;
  if (lostAck)
    return mapMaybe(inner.writeBatch!(entries), () => {
      throw crash('all', entries.length);
    });
  if (inner.capabilities.atomicMulti) throw crash('none', 0);
  const k = 1 + below(random, entries.length - 1);
  return mapMaybe(inner.writeBatch!(entries.slice(0, k)), () => {
    throw crash('prefix', k);
  });
}
