/// <reference lib="dom" />
/**
 * Change notices between tabs: one `BroadcastChannel` per backing instance, named after the
 * database. A channel never receives its own messages, but does receive those of other channels
 * of the same name, in this tab and in others: exactly "other instances over the same data".
 */
import type { ChangeNotice } from '@konserve-rx/core';
import { Observable, Subject } from 'rxjs';

/** One instance's side of the change channel. */
export interface NoticeChannel {
  /** Sends a committed write to every other instance; never throws. */
  announce(notice: ChangeNotice): void;
  /** Notices from other instances, in the order each sent them; completes on `close`. */
  readonly notices: Observable<ChangeNotice>;
  /** Tells the other instances that this one waits to share the database (see sole-instance.ts). */
  join(): void;
  /** Called when another instance says it waits to share the database. */
  onJoin?: () => void;
  /** Stops sending and receiving. */
  close(): void;
}

/** The message of {@link NoticeChannel.join}: never a notice's shape. */
const JOIN = 'konserve-rx:join';

/**
 * Opens the change channel of database `db`.
 * @param db - the database name
 * @returns the channel
 */
export function noticeChannel(db: string): NoticeChannel {
  const channel = new BroadcastChannel(`konserve-rx:indexeddb:${db}`);
  // Node's BroadcastChannel would keep the process alive; browsers have no unref
  (channel as { unref?: () => void }).unref?.();
  const notices = new Subject<ChangeNotice>();
  const self: NoticeChannel = {
    announce: (notice) => {
      try {
        channel.postMessage(notice);
      } catch {
        // best effort, at most once: a notice that cannot be sent never fails the write
      }
    },
    notices: notices.asObservable(),
    join: () => {
      try {
        channel.postMessage(JOIN);
      } catch {
        // a closed channel: this instance is closing and will not join
      }
    },
    close: () => {
      channel.close();
      notices.complete();
    },
  };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (event.data === JOIN) self.onJoin?.();
    else if (isNotice(event.data)) notices.next(event.data);
  };
  return self;
}

/** Whether a message has a notice's shape (another script may post on a channel of that name). */
function isNotice(data: unknown): data is ChangeNotice {
  const n = data as Partial<ChangeNotice> | null;
  return typeof n === 'object' && n !== null && typeof n.id === 'string' && n.meta instanceof Uint8Array && typeof n.op === 'string';
}
