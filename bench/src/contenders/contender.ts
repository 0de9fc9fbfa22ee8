/** The shape every measured store takes: a read and a write of the 1 KB document by slot. */
import type { Start } from '../harness';

/** A store under test, preloaded with `keys` documents; `get`/`put` touch `slot(i, keys)`. */
export interface Contender {
  /** The name in reports, e.g. `konserve-rx memory`. */
  readonly name: string;
  /** Reads a document (and decodes it, where the store keeps bytes). */
  readonly get: Start;
  /** Writes the document (encoding it, where the store keeps bytes). */
  readonly put: Start;
  /** Releases the store (files are removed by the caller). */
  close(): Promise<void>;
}
