/** Typing help for tests that call Node's built-in codecs directly. */

type Answered<F> = F extends (...args: infer A) => PromiseLike<infer R> | infer R ? (...args: A) => R : F;

/** A codec typed as Node runs the built-in ones: every method answers at once, never with a promise. */
export type InNode<C> = { [K in keyof C]: Answered<C[K]> };

/**
 * A built-in codec, typed with Node's synchronous answers (the contract allows promises, which
 * only the browser platform's gzip and AES-GCM give).
 * @param codec - a compressor or encryptor made in Node
 * @returns the same object
 */
export function inNode<C extends object>(codec: C): InNode<C> {
  return codec as InNode<C>;
}
