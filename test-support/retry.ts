/**
 * Waiting in tests for what recovers in the background (a reconnect, a restarted server) without
 * assuming how long it takes.
 */

/**
 * Retries `attempt` every 50 ms until it resolves, for at most `ms`.
 * @returns what `attempt` resolved with; rejects with its last error once `ms` has passed
 */
export async function retryFor<T>(ms: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
