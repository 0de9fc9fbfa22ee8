/**
 * Change events across processes on one store folder (docs/fs.md, "Changes across processes"):
 * every backing appends each committed write's notice to one shared journal file, and tails that
 * file to hear the others' notices.
 *
 * - **Order.** Core announces a write after it committed and before it releases the key's lock,
 *   and the append is one synchronous `write(2)` on a file opened with `O_APPEND`: the kernel puts
 *   each write whole at the end of the file. So the journal holds each key's notices in commit
 *   order across processes, and a reader meets them in that order.
 * - **Bounded.** A writer that finds the journal past {@link ROTATE_BYTES} renames it to
 *   `journal.old` (replacing the previous one) and the next append creates a fresh file. Writers
 *   open the journal by name for each append, and a reader drains its old file before following
 *   the name, so a notice is lost only if it lands in the old file after the reader moved on.
 * - **Best effort, at most once**, as `BackingStore.announce` allows: nothing here can fail a
 *   write, a reader starts at the journal's end (it sees writes from the moment it opened), and a
 *   frame it cannot read is skipped.
 *
 * Frame: `u16 magic 0x4b52, u32 length (LE), length bytes of encodeChangeNotice`.
 */
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { announcedBy, decodeChangeNotice, encodeChangeNotice, type ChangeNotice } from '@konserve-rx/core';

/** The journal's folder in the store root (`_`: outside the blob id alphabet). */
export const JOURNAL_DIR = 'konserve_rx_changes';
/** Size past which a writer rotates the journal. */
export const ROTATE_BYTES = 1 << 20;
/** How often a reader also looks, in case a file-system event was missed (some file systems send none), in ms. */
const POLL_MS = 250;
const MAGIC = 0x4b52;
const FRAME_HEAD = 6;
/** A longer frame can only be damage: the reader skips to the end. */
const MAX_FRAME = 16 << 20;
const CHUNK = 64 << 10;

/** One backing's end of the journal. */
export interface ChangeJournal {
  /** Appends a notice of this backing's; never throws (a failed append only loses that notice). */
  append(notice: ChangeNotice): void;
  /** Stops tailing and closes the files; idempotent. */
  close(): void;
}

/**
 * Opens the journal of the store folder `root` for the backing instance `origin`.
 * @param root - the store folder
 * @param origin - this backing's id: its own notices are not delivered back to it
 * @param deliver - called with each notice another backing appended, in journal order
 * @returns the journal; errors (synchronously) when its folder cannot be created
 */
export function openJournal(root: string, origin: string, deliver: (notice: ChangeNotice) => void): ChangeJournal {
  const dir = join(root, JOURNAL_DIR);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'journal');
  const writer = journalWriter(path);
  const ownNotice = announcedBy(origin);
  const reader = journalReader(path, (body) => {
    if (ownNotice(body)) return;
    const decoded = decodeChangeNotice(body);
    if (decoded !== undefined && decoded.origin !== origin) deliver(decoded.notice);
  });
  let scheduled = false;
  const wake = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      reader.drain();
    });
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, wake);
    watcher.on('error', () => undefined);
  } catch {
    // no file-system events here: the poll below still finds every notice
  }
  const poll = setInterval(wake, POLL_MS);
  poll.unref();
  let closed = false;
  return {
    append: (notice) => {
      if (!closed) writer.append(encodeChangeNotice(origin, notice));
    },
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      watcher?.close();
      reader.close();
    },
  };
}

interface Writer {
  append(body: Uint8Array): void;
}

function journalWriter(path: string): Writer {
  let appends = 0;
  return {
    append: (body) => {
      try {
        const frame = Buffer.allocUnsafe(FRAME_HEAD + body.length);
        frame.writeUInt16LE(MAGIC, 0);
        frame.writeUInt32LE(body.length, 2);
        frame.set(body, FRAME_HEAD);
        // opened by name for each append: after a rotation (by any process) this lands in the new
        // file, and no file stays open for writing between writes (a folder can be remounted)
        appendFileSync(path, frame);
        // the size is checked now and then: the journal may pass the bound by a few frames
        if (++appends % 32 === 0 && statSync(path).size > ROTATE_BYTES) renameSync(path, `${path}.old`);
      } catch {
        // best effort by contract: the write itself is committed whatever happens here
      }
    },
  };
}

interface Reader {
  /** Delivers every whole frame appended since the last drain. */
  drain(): void;
  close(): void;
}

function journalReader(path: string, frame: (body: Uint8Array) => void): Reader {
  // create the journal if this is the first backing, then start at its end
  closeSync(openSync(path, 'a'));
  let fd: number | undefined = openSync(path, 'r');
  let ino = fstatSync(fd).ino;
  let offset = fstatSync(fd).size;
  let pending: Buffer = Buffer.alloc(0);
  const chunk = Buffer.allocUnsafe(CHUNK);

  const readToEnd = (from: number): void => {
    for (;;) {
      const n = readSync(from, chunk, 0, CHUNK, offset);
      if (n === 0) return;
      offset += n;
      pending = parse(Buffer.concat([pending, chunk.subarray(0, n)]), frame);
    }
  };
  return {
    drain: () => {
      if (fd === undefined) return;
      try {
        readToEnd(fd);
        const st = statSync(path, { throwIfNoEntry: false });
        if (st === undefined || st.ino === ino) return;
        // rotated: the old file was drained above; follow the name from its start
        closeSync(fd);
        fd = openSync(path, 'r');
        ino = fstatSync(fd).ino;
        offset = 0;
        pending = Buffer.alloc(0);
        readToEnd(fd);
      } catch {
        // the journal vanished (the store folder deleted) or cannot be read: try again next time
      }
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Delivers the whole frames in `bytes`; returns the incomplete rest (or nothing, after damage). */
function parse(bytes: Buffer, frame: (body: Uint8Array) => void): Buffer {
  let at = 0;
  while (bytes.length - at >= FRAME_HEAD) {
    const length = bytes.readUInt32LE(at + 2);
    if (bytes.readUInt16LE(at) !== MAGIC || length > MAX_FRAME) return Buffer.alloc(0);
    if (bytes.length - at < FRAME_HEAD + length) break;
    frame(bytes.subarray(at + FRAME_HEAD, at + FRAME_HEAD + length));
    at += FRAME_HEAD + length;
  }
  return bytes.subarray(at);
}
