/**
 * The background half of write-behind: passes that copy pending writes to the back in write
 * order, retried with exponential backoff when they fail, each failure reported on `errors$`.
 * A pass stops at its first failure, so a later write never reaches the back before an earlier
 * one (an append-log element is always there before the head that counts it).
 */
import { ioError, type BackingStore } from '@konserve-rx/core';
import { Observable, Subject, defer, lastValueFrom, type SchedulerLike, type Subscription } from 'rxjs';
import type { FlushError } from '../options';

/** A write not yet in the back: the bytes (`null` for a delete) and its sequence numbers. */
export interface Pending {
  readonly data: Uint8Array | null;
  /** The sequence number of this write. */
  readonly seq: number;
  /** The oldest write of this id that may not be in the back yet. */
  minSeq: number;
}

/** Timing of background flushes. */
export interface FlushTiming {
  readonly flushDelayMs: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly scheduler: SchedulerLike;
}

/** The flusher of one write-behind backing. */
export interface Flusher {
  /** Asks for a background pass (after a write). */
  schedule(): void;
  /** Cold: emits once every write pending at subscription is in the back. */
  flush(): Observable<void>;
  /** Hot stream of failed background passes. */
  readonly errors$: Observable<FlushError>;
  /** Stops background passes, flushes what is pending, then completes `errors$`; rejects when the flush fails. */
  close(): Promise<void>;
}

/** Creates the flusher over the backing's pending writes (a Map in write order). */
export function flusher(dirty: Map<string, Pending>, back: BackingStore, timing: FlushTiming): Flusher {
  const errors = new Subject<FlushError>();
  let timer: Subscription | undefined;
  let failures = 0;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const settle = (id: string, done: Pending): void => {
    const current = dirty.get(id);
    if (current === done) dirty.delete(id);
    // a newer write came while this one was in flight: everything up to this one is in the back now
    else if (current !== undefined && current.minSeq <= done.seq) current.minSeq = done.seq + 1;
  };
  const runPass = async (): Promise<{ error: unknown } | undefined> => {
    const batch = [...dirty];
    if (batch.length === 0) return undefined;
    let failed: string[] = [];
    try {
      if (back.writeBatch && batch.length > 1) {
        failed = batch.map(([id]) => id);
        await back.writeBatch(batch.map(([id, p]) => [id, p.data] as const));
        for (const [id, p] of batch) settle(id, p);
      } else {
        for (const [id, p] of batch) {
          failed = [id];
          await (p.data === null ? back.delete(id) : back.write(id, p.data));
          settle(id, p);
        }
      }
    } catch (e) {
      failures++;
      const error = ioError(e, undefined, failed.length === 1 ? failed[0] : undefined);
      errors.next({ ids: failed, attempt: failures, error });
      return { error };
    }
    failures = 0;
    // everything is in the back (a flush() got there first): a background pass still waiting
    // would only keep the process alive for flushDelayMs with nothing to do
    if (dirty.size === 0) {
      timer?.unsubscribe();
      timer = undefined;
    }
    return undefined;
  };
  const pass = (): Promise<{ error: unknown } | undefined> => {
    const next = queue.then(runPass);
    queue = next.catch(() => undefined);
    return next;
  };
  const schedule = (): void => {
    if (timer !== undefined || closed || dirty.size === 0) return;
    const delay = failures === 0 ? timing.flushDelayMs : Math.min(timing.retryDelayMs * 2 ** (failures - 1), timing.maxRetryDelayMs);
    timer = timing.scheduler.schedule(() => {
      timer = undefined;
      void pass().then(schedule);
    }, delay);
  };
  const flush = (): Observable<void> =>
    defer(async () => {
      const targets = [...dirty].map(([id, p]) => [id, p.seq] as const);
      const remaining = (): boolean => targets.some(([id, seq]) => (dirty.get(id)?.minSeq ?? Infinity) <= seq);
      while (remaining()) {
        const failure = await pass();
        if (failure !== undefined && remaining()) throw failure.error;
      }
    });
  return {
    schedule,
    flush,
    errors$: errors.asObservable(),
    close: async () => {
      closed = true;
      timer?.unsubscribe();
      timer = undefined;
      // on failure errors$ stays open and flush() can be retried: the writes are still pending
      await lastValueFrom(flush(), { defaultValue: undefined });
      errors.complete();
    },
  };
}
