/** Options shared by the store operators (`getFrom`, `assocTo`, `updateWith`, `dissocFrom`, `existsIn`). */
import { optionNames } from '../internal/check-options';

/** How a store operator runs its operations. */
export interface OperatorOptions {
  /**
   * How many store operations may run at once (a positive integer, or `Infinity`). Inputs that
   * arrive while the limit is reached wait in a queue, in arrival order.
   * @default 16
   */
  readonly concurrency?: number;
  /**
   * `true`: results are emitted in input order, even when later operations finish first (those
   * results wait in a buffer until every earlier one is out). `false`: each result is emitted as
   * soon as its operation completes.
   * @default true
   */
  readonly ordered?: boolean;
}

/** Operator options that pair each result with its key: the operator emits `[key, result]`. */
export interface WithKeyOptions extends OperatorOptions {
  /** Emit `[key, result]` pairs instead of bare results (handy with `ordered: false`). */
  readonly withKey: true;
}

/** Operator options that emit bare results, in the order `ordered` chooses. */
export interface PlainOptions extends OperatorOptions {
  /**
   * Emit bare results; pass `true` to emit `[key, result]` pairs instead.
   * @default false
   */
  readonly withKey?: false;
}

/** A result paired with the key it belongs to, as emitted with `withKey: true`. */
export type Keyed<K, R> = [key: K, result: R];

/** The default of {@link OperatorOptions.concurrency}. */
export const DEFAULT_CONCURRENCY = 16;

/** Every option name of the store operators (`withKey` included: the engine sees them all). */
export const OPERATOR_OPTIONS = optionNames<OperatorOptions & { readonly withKey?: boolean }>({ concurrency: true, ordered: true, withKey: true });
