/**
 * Append-only logs: the key's blob holds the head `{ count, gen }`; element i lives in the
 * internal blob `<id>.<gen>.<i>`. Appending writes the element, then the head, so a crash in
 * between leaves an unreachable element that the next append overwrites, never a broken log.
 */
import { randomBytes } from '#platform';
import { toHex } from '../internal/hex';
import { invalidArgument } from '../errors';
import { wait, type Flow } from './engine/flow';
import type { Sink } from './engine/plan';
import type { KeyRef } from '../format/key';
import { userMetaOf } from '../format/meta';
import type { AppendLogHead, Change, Meta } from '../store-api';
import { publish, type StoreContext } from './engine/context';
import { decodeValue, metaOf, missingPart, readBlob, type StoredBlob } from './read';
import { commit, prepareBlob } from './write';

/** The blob id of element `index` of a log generation. */
export function elementId(id: string, gen: string, index: number): string {
  return `${id}.${gen}.${index}`;
}

/** Every element blob id of a log, in order. */
export function logElementIds(id: string, head: AppendLogHead): string[] {
  return Array.from({ length: head.count }, (_, i) => elementId(id, head.gen, i));
}

/** Where an element sits in its key's log, `<gen>.<index>`: what its encryption is bound to. */
function placeOf(gen: string, index: number): string {
  return `${gen}.${index}`;
}

/** The place (`<gen>.<index>`) of the element blob `element` of the log whose blob id is `id`. */
export function placeOfElement(id: string, element: string): string {
  return element.slice(id.length + 1);
}

/** Reads a log head; `undefined` when missing; `ERR_INVALID_ARGUMENT` when the key holds no log. */
export function* readLogHead(ctx: StoreContext, ref: KeyRef): Flow<{ head: AppendLogHead; meta: Meta; blob: StoredBlob } | undefined> {
  const blob = yield* readBlob(ctx, ref.id, ref.key);
  return blob === undefined ? undefined : yield* logHeadOf(ctx, ref, blob);
}

/** The head of the log whose key's blob is `blob`, with its Meta; `ERR_INVALID_ARGUMENT` when the key holds no log. */
export function* logHeadOf(ctx: StoreContext, ref: KeyRef, blob: StoredBlob): Flow<{ head: AppendLogHead; meta: Meta; blob: StoredBlob }> {
  const meta = metaOf(blob, ref.key);
  if (meta.type !== 'append-log') throw invalidArgument(`key holds a ${meta.type}, not an append log`, ref.key);
  return { head: (yield* wait(decodeValue(ctx, blob, ref))) as AppendLogHead, meta, blob };
}

/** Appends one element (already packed: encrypted here, once its place is known) and publishes the change. */
export function* appendElement(ctx: StoreContext, ref: KeyRef, packed: Uint8Array): Flow<Change<AppendLogHead>> {
  const current = yield* readLogHead(ctx, ref);
  const old = current?.head;
  const head: AppendLogHead = { count: (old?.count ?? 0) + 1, gen: old?.gen ?? toHex(randomBytes(4)) };
  const index = head.count - 1;
  const place = placeOf(head.gen, index);
  const elem = yield* wait(ctx.codec.seal(ref, packed, place));
  const element = prepareBlob(ctx, elementId(ref.id, head.gen, index), ref.key, 'append-log', elem);
  yield* commit(ctx, element);
  const headBlob = prepareBlob(ctx, ref.id, ref.key, 'append-log', yield* wait(ctx.codec.encode(ref, head)), userMetaOf(current?.meta));
  const meta = yield* commit(ctx, headBlob);
  publish(ctx, {
    op: 'append',
    key: ref.key,
    id: ref.id,
    meta,
    value: () => ctx.codec.decode(ref, ctx.codec.ids, elem, place),
    current: () => ({ ...head }),
  });
  return { old: old === undefined ? undefined : { ...old }, new: head };
}

/** Reads the elements of a log in order, emitting each; stops early when the subscriber left. */
export function* readLog(ctx: StoreContext, ref: KeyRef, out: Sink<unknown>): Flow<void> {
  const current = yield* readLogHead(ctx, ref);
  if (current === undefined) return;
  const { gen } = current.head;
  for (const [index, id] of logElementIds(ref.id, current.head).entries()) {
    if (out.stopped()) return;
    const blob = yield* readBlob(ctx, id, ref.key);
    if (blob === undefined) missingPart(ref.key, `log element ${id}`);
    out.emit(yield* wait(decodeValue(ctx, blob, ref, placeOf(gen, index))));
  }
}
