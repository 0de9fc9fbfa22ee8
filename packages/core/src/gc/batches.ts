/** Reading a backing's listing in fixed-size batches, sync or async, stopping when told to. */
import { ioError } from '../errors';

/** Yields the ids of `list` that `accept` takes, `size` at a time (the last batch may be shorter). */
export async function* batchesOf(
  list: () => Iterable<string> | AsyncIterable<string>,
  size: number,
  accept: (id: string) => boolean,
): AsyncGenerator<string[]> {
  let ids: Iterable<string> | AsyncIterable<string>;
  try {
    ids = list();
  } catch (e) {
    throw ioError(e);
  }
  let batch: string[] = [];
  try {
    for await (const id of ids) {
      if (!accept(id)) continue;
      batch.push(id);
      if (batch.length < size) continue;
      yield batch;
      batch = [];
    }
  } catch (e) {
    throw ioError(e);
  }
  if (batch.length > 0) yield batch;
}
