/**
 * Node's stream and file modules, for the areas that check Node sources (`Readable`, file read
 * streams). They are imported only when such a test runs, so the suite still bundles for a
 * browser page, where those tests are registered as skipped with the reason in their name.
 */
import type { DescribeLike } from './harness';

/** The Node APIs the Node-source tests use. */
export interface NodeSources {
  /** `node:stream`'s Readable. */
  readonly Readable: typeof import('node:stream').Readable;
  /** `node:fs`'s createReadStream. */
  readonly createReadStream: typeof import('node:fs').createReadStream;
  /** A path in the temp folder that does not exist. */
  readonly missingFile: string;
}

/** Whether this runtime is Node (the suite runs in browser pages too). */
const IS_NODE = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

/**
 * Loads the Node APIs of {@link NodeSources}; call it inside a test registered by {@link describeOnNode}.
 * @returns a promise of Readable, createReadStream and a missing file's path
 */
export async function nodeSources(): Promise<NodeSources> {
  const [{ Readable }, { createReadStream }, { join }, { tmpdir }] = await Promise.all([
    import('node:stream'),
    import('node:fs'),
    import('node:path'),
    import('node:os'),
  ]);
  return { Readable, createReadStream, missingFile: join(tmpdir(), 'konserve-rx-no-such-dir', 'missing') };
}

/**
 * Registers a block of tests that need Node's streams: skipped elsewhere, saying why in its title.
 * @param describe - the harness's describe
 * @param title - the block's title
 * @param body - registers the tests
 */
export function describeOnNode(describe: DescribeLike, title: string, body: () => void): void {
  if (IS_NODE) describe(title, body);
  else describe.skip(`${title} (skipped: Node streams exist only on Node)`, body);
}
