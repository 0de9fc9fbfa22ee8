/**
 * One batch of a sweep over internal blobs (ids `<head id>.<…>`): under the write lock of each
 * head (the lock an append holds while it writes an element before the head that counts it),
 * read the head and delete the blobs it cannot reach. Only append logs make internal blobs today:
 * element `<head>.<gen>.<index>` is live while the head is a log of generation `gen` counting
 * more than `index` elements.
 */
import { lastValueFrom } from 'rxjs';
import { isKonserveError } from '../errors';
import { wait, type Flow } from '../store/engine/flow';
import { keyRef, unscopedBlobId } from '../format/key';
import type { AppendLogHead } from '../model';
import type { StoreContext } from '../store/engine/context';
import { operation } from '../store/engine/operation';
import { decodeValue, metaOf, readBlob } from '../store/read';
import { ownsKeyId } from '../store/scope';
import { commitAll } from '../store/write';

const ELEMENT = /^[0-9a-f]{64}\.([0-9a-z]+)\.(0|[1-9][0-9]*)$/;

/** What a head says about the internal blobs under it. */
type HeadState = { readonly kind: 'log'; readonly head: AppendLogHead } | { readonly kind: 'no-log' | 'missing' | 'unreadable' };

/** True for the id of an internal blob of the context's scope (it has a head id of that scope before its first '.'). */
export function isInternalBlobId(ctx: StoreContext, id: string): boolean {
  const dot = id.indexOf('.');
  return dot > 0 && ownsKeyId(ctx, id.slice(0, dot));
}

/** Deletes the orphans among `ids` (internal blob ids); resolves with the deleted ids. */
export function sweepOrphans(ctx: StoreContext, ids: readonly string[]): Promise<string[]> {
  const byHead = new Map<string, string[]>();
  for (const id of ids) {
    const head = id.slice(0, id.indexOf('.'));
    byHead.set(head, [...(byHead.get(head) ?? []), id]);
  }
  const op = operation<string[]>(ctx, 'sweep', () => ({
    ids: [...byHead.keys()],
    *run(out) {
      const orphans: string[] = [];
      for (const [head, parts] of byHead) {
        const state = yield* headState(ctx, head);
        orphans.push(...parts.filter((id) => isOrphan(id, state)));
      }
      yield* commitAll(
        ctx,
        orphans.map((id) => [id, null] as const),
        undefined,
      );
      out.emit(orphans);
    },
  }));
  return lastValueFrom(op, { defaultValue: [] });
}

function isOrphan(id: string, state: HeadState): boolean {
  if (state.kind === 'unreadable') return false;
  if (state.kind === 'missing') return true;
  const m = ELEMENT.exec(unscopedBlobId(id));
  // an internal blob of a kind this version does not know is left alone
  if (m === null) return false;
  if (state.kind !== 'log') return true;
  return m[1] !== state.head.gen || Number(m[2]) >= state.head.count;
}

function* headState(ctx: StoreContext, id: string): Flow<HeadState> {
  try {
    const blob = yield* readBlob(ctx, id, undefined);
    if (blob === undefined) return { kind: 'missing' };
    const meta = metaOf(blob, undefined);
    if (meta.type !== 'append-log') return { kind: 'no-log' };
    const head = (yield* wait(decodeValue(ctx, blob, keyRef(meta.key)))) as AppendLogHead;
    if (typeof head?.gen !== 'string' || typeof head.count !== 'number') return { kind: 'unreadable' };
    return { kind: 'log', head };
  } catch (e) {
    // a damaged or undecodable head: its elements may still be wanted once it is repaired
    if (isKonserveError(e) && e.code !== 'ERR_IO' && e.code !== 'ERR_CLOSED') return { kind: 'unreadable' };
    throw e;
  }
}
