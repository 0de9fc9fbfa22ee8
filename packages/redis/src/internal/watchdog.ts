/**
 * The command timeout of a client the backing made: one timer per connection watching the
 * client's queue of sent commands, instead of ioredis's `commandTimeout`, which arms and clears a
 * timer for every command (0.7 µs of each Redis `get`; docs/performance.md, round eight).
 */
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

/** The failure of a command the server did not answer in time (`redisFailure` names it). */
export class NoReply extends Error {
  constructor(timeoutMs: number) {
    super(`no reply from the server for ${timeoutMs} ms (commandTimeout)`);
    this.name = 'NoReply';
  }
}

/** How many checks the watchdog makes per timeout: a stalled command fails within 1¼ timeouts. */
const CHECKS_PER_TIMEOUT = 4;

/**
 * Watches `client` until the returned function is called. Redis answers a connection's commands in
 * the order they were sent, so while the oldest unanswered command (the head of
 * `client.commandQueue`) stays the same, the server has answered nothing. Once the same head has
 * waited `timeoutMs`, every command then waiting fails with {@link NoReply}: none of them can be
 * answered before it. So a command fails no sooner than `timeoutMs` after it became the oldest,
 * and the ones behind it may fail sooner. While the server stays silent, commands sent afterwards
 * fail at the next check. Replies that arrive late go to their (already failed) commands, in order,
 * so later commands still get their own replies.
 * @returns stops the watchdog
 */
export function watchReplies(client: Redis, timeoutMs: number): () => void {
  let head: unknown;
  let since = 0;
  const timer = setInterval(
    () => {
      const queue = client.commandQueue;
      const front = queue.peekFront();
      const now = performance.now();
      if (front !== head) {
        head = front;
        since = now;
      } else if (front !== undefined && now - since >= timeoutMs) {
        const error = new NoReply(timeoutMs);
        // failing a command that already failed (or was answered) changes nothing
        for (const item of queue.toArray()) item.command.reject(error);
      }
    },
    Math.max(1, Math.ceil(timeoutMs / CHECKS_PER_TIMEOUT)),
  );
  // the backing's close stops it; a store never closed must not keep the process alive
  timer.unref();
  return () => clearInterval(timer);
}
