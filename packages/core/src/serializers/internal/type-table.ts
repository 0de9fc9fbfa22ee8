/** The lookup tables of one serializer's custom types, validated once at construction. */
import { Encoder, Tag } from 'cbor-x';
import { invalidArgument } from '../../errors';
import type { CustomType } from '../custom-type';

/** The custom types of one serializer instance. */
export interface TypeTable {
  /** Whether any type is registered (walks are skipped when not). */
  readonly empty: boolean;
  /** The entry for a tag. */
  byTag(tag: number): CustomType | undefined;
  /** The entry for an object: its exact class first, then the first registered superclass. */
  forValue(value: object): CustomType | undefined;
}

const probe = new Encoder({ useRecords: false, mapsAsObjects: true });
// cbor-x's record structures and bundled strings live in 0xdff9..0xffff
const RECORD_TAGS = [0xdff9, 0xffff] as const;

/**
 * Builds the table; errors with `ERR_INVALID_ARGUMENT` on a malformed entry, a duplicate tag or
 * class, or a tag cbor-x decodes itself (which would never reach the type's `decode`).
 */
export function typeTable(types: readonly CustomType[] = []): TypeTable {
  const tags = new Map<number, CustomType>();
  const classes = new Map<unknown, CustomType>();
  for (const t of types) {
    checkEntry(t);
    if (tags.has(t.tag)) throw invalidArgument(`custom type tag ${t.tag} is registered twice`);
    if (classes.has(t.type)) throw invalidArgument(`custom type ${t.type.name} is registered twice`);
    tags.set(t.tag, t);
    classes.set(t.type, t);
  }
  return {
    empty: tags.size === 0,
    byTag: (tag) => tags.get(tag),
    forValue(value) {
      const exact = classes.get(Object.getPrototypeOf(value)?.constructor);
      if (exact !== undefined || classes.size === 0) return exact;
      for (const t of classes.values()) if (value instanceof t.type) return t;
      return undefined;
    },
  };
}

function checkEntry(t: CustomType): void {
  if (t === null || typeof t !== 'object') throw invalidArgument('a custom type must be an object { tag, type, encode, decode }');
  if (typeof t.type !== 'function') throw invalidArgument(`custom type with tag ${String(t.tag)} needs a class as \`type\``);
  if (typeof t.encode !== 'function' || typeof t.decode !== 'function') {
    throw invalidArgument(`custom type ${t.type.name} needs \`encode\` and \`decode\` functions`);
  }
  if (!Number.isInteger(t.tag) || t.tag < 0 || t.tag > 0xffffffff) {
    throw invalidArgument(`custom type ${t.type.name}: tag ${String(t.tag)} is not an integer in 0..0xffffffff`);
  }
  if ((t.tag >= RECORD_TAGS[0] && t.tag <= RECORD_TAGS[1]) || !reachesUs(t.tag)) {
    throw invalidArgument(`custom type ${t.type.name}: tag ${t.tag} is used by the CBOR encoding itself; pick one in 40000..57000`);
  }
}

// a tag reaches a custom type only if cbor-x hands it back as an uninterpreted Tag
function reachesUs(tag: number): boolean {
  try {
    const back = probe.decode(probe.encode(new Tag(null, tag)));
    return back instanceof Tag && back.tag === tag;
  } catch {
    return false;
  }
}
