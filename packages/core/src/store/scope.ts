/**
 * Scopes: a Store whose keys live under a name, inside the same backing. A scope's blob ids are
 * its key ids behind the scope's prefix (see docs/format.md, "Scopes"), so its listing asks the
 * backing for that prefix only (`BackingStore.listPrefix`) and never reads another scope's blobs.
 */
import { invalidArgument } from '../errors';
import { GenerationalCache, ID_CACHE_GENERATION, isScopeBlobId, keyRef, makeRef, scopePrefix, type KeyRef } from '../format/key';
import { contextOf, type StoreContext, type StoreScope } from './engine/context';

/** The scope of a root store: no names, no prefix. */
export const ROOT_SCOPE: StoreScope = { path: [], prefix: '', refs: new GenerationalCache<KeyRef>(1) };

/**
 * The context of scope `name` inside `ctx`'s scope: the same backing, locks, change bus and
 * lifecycle, another scope. Throws `ERR_INVALID_ARGUMENT` unless `name` is a non-empty string.
 * @param ctx - the context of the enclosing store or scope
 * @param name - the scope's name within it
 * @returns the scope's context
 */
export function scopeContext(ctx: StoreContext, name: unknown): StoreContext {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidArgument(`scope takes a non-empty string name, got ${typeof name === 'string' ? "''" : typeof name}`);
  }
  const path = [...ctx.scope.path, name];
  return contextOf({ ...ctx, scope: { path, prefix: scopePrefix(path), refs: new GenerationalCache<KeyRef>(ID_CACHE_GENERATION) } });
}

/**
 * Validates `key` and derives its reference in the context's scope: the blob id gains the scope's
 * prefix; the key and its canonical form stay the user's. Throws `ERR_INVALID_KEY`.
 */
export function refIn(ctx: StoreContext, key: unknown): KeyRef {
  const { prefix, refs } = ctx.scope;
  if (prefix === '') return keyRef(key);
  const cached = typeof key === 'string' ? refs.get(key) : undefined;
  if (cached !== undefined) return cached;
  const ref = keyRef(key);
  const scoped = makeRef(ref.key, ref.canonical, prefix + ref.id);
  if (typeof key === 'string') refs.set(key, scoped);
  return scoped;
}

/** True for the blob id of a key of the context's own scope (not of a nested or sibling scope). */
export function ownsKeyId(ctx: StoreContext, id: string): boolean {
  return isScopeBlobId(ctx.scope.prefix, id);
}

/**
 * The blob ids a listing of the context's scope must look at: the backing's ids under the scope's
 * prefix when it can list by prefix, else every id (the caller filters with {@link ownsKeyId};
 * ids are compared, blobs are never read to tell scopes apart).
 */
export function listScope(ctx: StoreContext): Iterable<string> | AsyncIterable<string> {
  const { backing } = ctx;
  const prefix = ctx.scope.prefix;
  return prefix !== '' && backing.listPrefix !== undefined ? backing.listPrefix(prefix) : backing.list();
}
