/**
 * What a file backing does on its own, counted for `inspectStore` and published on the
 * diagnostics channels: crash sweeps when opening, stale locks broken, lease handovers, lock waits.
 */
import { publishDiagnostic } from '@konserve-rx/core';

/** One thing the backing did on its own. */
export type FsEvent =
  /** Opening swept the folder and removed `removed` (> 0) temp files a crash left behind. */
  | { readonly action: 'sweep'; readonly path: string; readonly removed: number }
  /** A lock (or lease, or session) of a process that is gone was removed. */
  | { readonly action: 'stale-lock-broken'; readonly path: string }
  /** The exclusive lease was given up because another backing opened the folder. */
  | { readonly action: 'lease-handover'; readonly path: string }
  /** A lock was taken after waiting for another holder. */
  | { readonly action: 'lock-wait'; readonly path: string; readonly attempts: number };

/** Receives the events of one backing. */
export type FsReport = (event: FsEvent) => void;

/** The counters of one backing, as `inspectStore(store).backing` shows them. */
export interface FsCounters {
  sweeps: number;
  tempFilesRemoved: number;
  staleLocksBroken: number;
  leaseHandovers: number;
  lockWaits: number;
}

const CHANNEL: Record<FsEvent['action'], 'recovery' | 'handover' | 'retry'> = {
  sweep: 'recovery',
  'stale-lock-broken': 'recovery',
  'lease-handover': 'handover',
  'lock-wait': 'retry',
};

/** Counters and the report that keeps them (and publishes each event on its channel). */
export function fsEvents(): { counters: FsCounters; report: FsReport } {
  const counters: FsCounters = { sweeps: 0, tempFilesRemoved: 0, staleLocksBroken: 0, leaseHandovers: 0, lockWaits: 0 };
  const report: FsReport = (event) => {
    switch (event.action) {
      case 'sweep':
        counters.sweeps++;
        counters.tempFilesRemoved += event.removed;
        break;
      case 'stale-lock-broken':
        counters.staleLocksBroken++;
        break;
      case 'lease-handover':
        counters.leaseHandovers++;
        break;
      case 'lock-wait':
        counters.lockWaits++;
        break;
    }
    publishDiagnostic(CHANNEL[event.action], { backend: 'file', ...event });
  };
  return { counters, report };
}
