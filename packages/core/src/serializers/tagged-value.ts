/** The value a serializer returns for a tag it has no registered type for. */
import { Tag } from 'cbor-x';

/**
 * A tagged value whose tag no registered {@link CustomType} claims: what a store returns when it
 * reads a custom type it was not told about, instead of failing. Writing it back keeps the tag,
 * so a store without the type can still copy such values unchanged.
 *
 * It extends cbor-x's `Tag`, so the CBOR encoder writes it natively as CBOR tag `tag`.
 * @example
 * ```ts
 * const v = await firstValueFrom(store.get('price'));
 * if (v instanceof TaggedValue && v.tag === 40501) console.log('a Money written by another app', v.value);
 * ```
 */
export class TaggedValue<V = unknown> extends Tag {
  /** The tag number (a CBOR tag; the same number in the JSON serializer's `~tag` form). */
  declare tag: number;
  /** The encoded form, as the writer's `encode` function returned it (itself decoded). */
  declare value: V;

  /**
   * @param tag - the tag number
   * @param value - the tagged content
   */
  constructor(tag: number, value: V) {
    super(value, tag);
  }
}
