/**
 * Keeps `String.prototype` in V8's fast mode after ioredis has loaded.
 *
 * ioredis's RESP decoder declares `class VerbatimString extends String`. Making String.prototype
 * the prototype of a new object puts it into dictionary mode, and V8 makes a prototype fast again
 * only when a property load through an *object* receiver misses its inline cache. String
 * primitives are never such receivers, so from then on every `charCodeAt` on a primitive string in
 * the whole process takes a slow lookup, about 5x slower. cbor-x writes short strings with
 * `charCodeAt`: encoding the bench's 1 KB document took 13.5 µs instead of 4.7 µs in any process
 * that had loaded ioredis (docs/performance.md, round five).
 *
 * The cure below is such a load: a function, called often enough for V8 to give it feedback
 * (about ten calls), reads a method through an object whose prototype is String.prototype. It
 * changes how V8 stores the prototype, never what any property is.
 * `test/fast-strings.test.ts` checks the outcome with V8's own `%HasFastProperties`.
 */
import 'ioredis';

/** Calls of the probe: V8 allocates feedback after a handful; ten times that for a margin. */
const CALLS = 100;

/** Runs once, when this module loads (after ioredis, which it imports first). */
function restoreFastStringPrototype(): void {
  const probe = Object.create(String.prototype) as { charCodeAt?: unknown };
  const load = (o: { charCodeAt?: unknown }): unknown => o.charCodeAt;
  for (let i = 0; i < CALLS; i++) load(probe);
}

restoreFastStringPrototype();
