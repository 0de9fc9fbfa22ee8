/**
 * A caller's stream given to `bassoc`, guarded from subscribe time until core reads it. A Node
 * Readable that errors while nobody reads it (a missing file, a source destroyed while the write
 * waits for its lock) would emit an 'error' event without a listener, which kills the process:
 * the guard listens from the start, holds that error, and hands it to the flow when it reads.
 */

const encoder = new TextEncoder();

/** The guarded source of one `bassoc`. */
export interface GuardedSource {
  /** The source's chunks as bytes; throws the source's own error, even one emitted before reading began. */
  readonly chunks: () => AsyncIterable<Uint8Array>;
  /** The source's own failure, once it failed: the caller gets this error as it is, never wrapped. */
  readonly failure: () => { readonly error: unknown } | undefined;
  /** Destroys a Readable the run did not read to its end (it failed before, or was left while queued). */
  readonly dispose: () => void;
}

interface EmitterLike {
  on(event: 'error', listener: (e: unknown) => void): unknown;
  destroy?: () => unknown;
  destroyed?: boolean;
}

/**
 * Listens for the source's errors now (at subscribe) and returns the guarded source.
 * @param source - a Node Readable or any AsyncIterable of bytes or strings
 * @returns the guard; call `dispose` once the run is over
 */
export function guardSource(source: AsyncIterable<Uint8Array | string>): GuardedSource {
  let failed: { error: unknown } | undefined;
  const fail = (error: unknown): void => void (failed ??= { error });
  const emitter = asEmitter(source);
  // stays attached: an error the source emits after the run ended must not crash the process either
  emitter?.on('error', fail);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      if (failed !== undefined) throw failed.error;
      for await (const chunk of source) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    } catch (e) {
      // only the source's iteration lands here (a consumer that stops calls return, not throw)
      fail(e);
      throw failed!.error;
    }
  }
  return {
    chunks,
    failure: () => failed,
    dispose: () => {
      if (emitter !== undefined && emitter.destroyed === false) emitter.destroy?.();
    },
  };
}

function asEmitter(source: object): EmitterLike | undefined {
  return typeof (source as Partial<EmitterLike>).on === 'function' ? (source as EmitterLike) : undefined;
}
