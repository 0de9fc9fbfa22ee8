/**
 * Watching the commands clients send, with MONITOR on a connection of its own. A recording ends
 * at a marker command, so what it holds never depends on timing.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Commands recorded so far, and the end of the recording. */
export interface Recording {
  /** The commands recorded so far (clients' only, not those a script runs), as their arguments. */
  readonly seen: readonly string[][];
  /** Sends a marker PING and resolves, once MONITOR shows it, with every command recorded before it. */
  stop(): Promise<string[][]>;
}

/**
 * Starts recording the commands clients send (not those a script runs).
 * @param connect - opens a connected client (the caller closes it at the end of its tests)
 */
export async function recordCommands(connect: () => Promise<Redis>): Promise<Recording> {
  // connected before recording starts, so its handshake is not recorded
  const pinger = await connect();
  const monitor = await (await connect()).monitor();
  const seen: string[][] = [];
  let marked: (() => void) | undefined;
  const marker = `marker-${randomBytes(4).toString('hex')}`;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args[0]?.toLowerCase() === 'ping' && args[1] === marker) marked?.();
    else if (source !== 'lua') seen.push(args);
  });
  return {
    seen,
    stop: async () => {
      const done = new Promise<void>((resolve) => (marked = resolve));
      await pinger.ping(marker);
      await done;
      monitor.disconnect();
      return seen;
    },
  };
}

/** The lower-case names of `commands`. */
export const names = (commands: readonly string[][]): string[] => commands.map((c) => c[0]!.toLowerCase());
