/**
 * Opt-in diagnostics through `node:diagnostics_channel`: what a store does quietly on its own
 * (recovering after a crash, breaking a dead writer's lock, handing over a lease, retrying, finding
 * damaged bytes) is published on named channels. Publishing costs nothing while nobody subscribes.
 *
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe('konserve-rx:recovery', (event) => console.warn('konserve-rx recovered:', event));
 * ```
 */
import { diagnosticsChannel } from '#platform';

/** The channel names, one per kind of event. */
export const DIAGNOSTIC_CHANNELS = {
  /** Damaged bytes were found (`ERR_CORRUPT`): `{ key?, path?, detail }`. */
  corrupt: 'konserve-rx:corrupt',
  /** A backend recovered on its own: `{ backend, action, path?, ... }` (a crash sweep, a stale lock broken, a lease handed over). */
  recovery: 'konserve-rx:recovery',
  /** A backend retried or waited: `{ backend, action, attempts, ... }` (a lock taken after waiting for another holder). */
  retry: 'konserve-rx:retry',
  /** Backings sharing a store handed over a role: `{ backend, action, ... }` (the fs exclusive lease given up for a newcomer). */
  handover: 'konserve-rx:handover',
} as const;

/** One of the {@link DIAGNOSTIC_CHANNELS}. */
export type DiagnosticChannel = keyof typeof DIAGNOSTIC_CHANNELS;

/** What every diagnostic event carries besides its own fields. */
export interface DiagnosticEvent {
  /** The backend or layer that published it (`'core'`, `'file'`, `'redis'`, ...). */
  readonly backend: string;
  /** What happened, in a word or two (`'sweep'`, `'stale-lock-broken'`, ...). */
  readonly action: string;
  readonly [field: string]: unknown;
}

const channels = new Map<DiagnosticChannel, ReturnType<typeof diagnosticsChannel>>();

/**
 * Publishes `event` on a diagnostics channel; a no-op while nobody subscribes. (Node reports an
 * error thrown by a subscriber as uncaught, on the next tick: subscribers must not throw.)
 * @param name - which channel
 * @param event - what happened
 */
export function publishDiagnostic(name: DiagnosticChannel, event: DiagnosticEvent): void {
  let ch = channels.get(name);
  if (ch === undefined) channels.set(name, (ch = diagnosticsChannel(DIAGNOSTIC_CHANNELS[name])));
  if (ch.hasSubscribers) ch.publish(event);
}
