/**
 * Compile-time tests of the Store's generics: what `Store`, `Store<V>` and `Store<Schema<M>>`
 * infer, and which misuses are errors (`@ts-expect-error` fails the check when a line stops
 * being an error). Checked by `types.test.ts`; nothing here runs.
 */
import type { Observable } from 'rxjs';
import { createStore } from '@konserve-rx/core';
import type { AppendLog, AppendLogHead, Change, Key, Meta, Schema, Store, TypedStore, WriteEvent } from '@konserve-rx/core';
import { expectTypeOf } from './expect-type';

interface User {
  name: string;
  age?: number;
  address: { city: string; zip: string };
  tags: string[];
  scores: Map<string, number>;
}
interface Event {
  kind: 'login' | 'logout';
  at: number;
}
type App = Schema<{
  count: number;
  [user: `user/${string}`]: User;
  events: AppendLog<Event>;
}>;

declare const untyped: Store;
declare const users: Store<User>;
declare const app: Store<App>;
declare const user: User;

// --- Store (untyped): reads are unknown, callbacks may annotate --------------------------------
expectTypeOf(untyped.get('k')).toEmit<unknown>();
expectTypeOf(untyped.get(['any', { structured: 1 }])).toEmit<unknown>();
expectTypeOf(untyped.getIn(['k', 'a', 0])).toEmit<unknown>();
expectTypeOf(untyped.update('n', (n: number | undefined) => (n ?? 0) + 1)).toEmit<Change<number>>();
expectTypeOf(untyped.update('n', (n) => n)).toEmit<Change<unknown>>();
expectTypeOf(untyped.update('n', (n, by: number) => Number(n) + by, 2)).toEmit<Change<unknown>>();
expectTypeOf(untyped.updateIn(['k', 'a'], (v: string | undefined) => `${v}!`)).toEmit<Change<string>>();
expectTypeOf(untyped.log('log')).toEmit<unknown>();
expectTypeOf(untyped.reduceLog('log', (sum: number, e: number) => sum + e, 0)).toEmit<number>();
expectTypeOf(untyped.watch('k')).toEmit<unknown>();
untyped.append('log', { anything: true });
untyped.assoc('k', () => 'the serializer rejects this at run time, the types cannot');
// @ts-expect-error a key is a string, number, or array/plain object of those
untyped.get(Symbol('k'));
// @ts-expect-error extra arguments must match the callback's parameters
untyped.update('n', (n, by: number) => by, 'two');

// --- Store<User>: every key holds a User -------------------------------------------------------
expectTypeOf(users.get('u1')).toEmit<User | undefined>();
expectTypeOf(users.get('u1', null)).toEmit<User | null>();
expectTypeOf(users.watch('u1')).toEmit<User | undefined>();
expectTypeOf(users.update('u1', (u) => ({ ...user, ...u, age: 1 }))).toEmit<Change<User>>();
expectTypeOf(users.getIn(['u1', 'address', 'city'])).toEmit<string | undefined>();
expectTypeOf(users.getIn(['u1', 'tags', 0])).toEmit<string | undefined>();
expectTypeOf(users.getIn(['u1', 'scores', 'math'])).toEmit<number | undefined>();
expectTypeOf(users.getIn(['u1', 'name'], 'anonymous')).toEmit<string>();
// an optional field may hold `undefined` itself, so notFound does not remove it
expectTypeOf(users.getIn(['u1', 'age'], 0)).toEmit<number | undefined>();
expectTypeOf(users.updateIn(['u1', 'address', 'zip'], (zip) => zip ?? '00000')).toEmit<Change<string>>();
expectTypeOf(users.assocIn(['u1', 'address', 'city'], 'Oslo')).toEmit<Change<User>>();
expectTypeOf(users.multiGet(['a', 'b'])).toEmit<Map<'a' | 'b', User>>();
expectTypeOf(users.changes()).toEmit<WriteEvent<User>>();
users.assoc('u2', user);
users.multiAssoc([['u3', user]]);
users.multiAssoc({ u4: user });
// @ts-expect-error the value must be a User
users.assoc('u2', { name: 'no address' });
// @ts-expect-error update must return a User
users.update('u1', () => 42);
// callbacks are checked bivariantly (see UpdateFn): a narrower annotation is accepted and narrows the result
expectTypeOf(users.update('u1', (u: (User & { admin: true }) | undefined) => u ?? { ...user, admin: true as const })).toEmit<Change<User & { admin: true }>>();
// @ts-expect-error an annotation that does not overlap the declared type
users.update('u1', (n: number | undefined) => n ?? 0);
// @ts-expect-error a path step that User does not have
users.assocIn(['u1', 'address', 'country'], 'NO');
// @ts-expect-error a value of the wrong type at the path
users.assocIn(['u1', 'address', 'city'], 7);
// a value type declares no logs: their elements are unknown (declare them with a Schema and AppendLog<E>)
users.append('log', { kind: 'login' });
expectTypeOf(users.log('log')).toEmit<unknown>();

// --- Store<Schema<M>>: each key has its own type -----------------------------------------------
expectTypeOf(app.get('count')).toEmit<number | undefined>();
expectTypeOf(app.get('user/ada')).toEmit<User | undefined>();
expectTypeOf(app.get('events')).toEmit<AppendLog<Event> | undefined>();
expectTypeOf(app.watch('count')).toEmit<number | undefined>();
expectTypeOf(app.update('count', (n) => (n ?? 0) + 1)).toEmit<Change<number>>();
expectTypeOf(app.update('count', (n, by: number) => (n ?? 0) + by, 5)).toEmit<Change<number>>();
expectTypeOf(app.getIn(['user/ada', 'address', 'zip'])).toEmit<string | undefined>();
expectTypeOf(app.updateIn(['user/ada', 'tags'], (tags) => [...(tags ?? []), 'x'])).toEmit<Change<string[]>>();
expectTypeOf(app.log('events')).toEmit<Event>();
expectTypeOf(app.reduceLog('events', (n, e) => n + e.at, 0)).toEmit<number>();
expectTypeOf(app.multiGet(['count', 'user/ada'])).toEmit<Map<'count' | 'user/ada', number | User>>();
expectTypeOf(app.changes()).toEmit<WriteEvent<number | User | AppendLog<Event> | Event>>();
app.append('events', { kind: 'login', at: 1 });
app.assoc('user/grace', user);
app.multiAssoc([
  ['count', 1],
  ['user/x', user],
]);
app.multiAssoc({ count: 2 });
// @ts-expect-error 'counter' is not a key of the schema
app.get('counter');
// @ts-expect-error 'count' holds a number
app.assoc('count', 'one');
// @ts-expect-error each pair's value must match its key
app.multiAssoc([['count', user]]);
// @ts-expect-error a user key holds a User
app.assoc('user/x', 1);
// @ts-expect-error only AppendLog entries take elements
app.append('count', 1);
// @ts-expect-error elements must be Events
app.append('events', { kind: 'reboot', at: 1 });
// @ts-expect-error the update function must return the key's type
app.update('count', (n) => String(n));
// @ts-expect-error the accumulator keeps the seed's type
app.reduceLog('events', (n: number, e) => e.kind, 0);
// @ts-expect-error elements are Events, not numbers
app.reduceLog('events', (n, e) => n + e, 0);

// --- factories and assignability ---------------------------------------------------------------
declare const backing: Parameters<typeof createStore>[0];
expectTypeOf(createStore(backing)).toEqualTypeOf<Store<unknown>>();
expectTypeOf(createStore<App>(backing)).toEqualTypeOf<TypedStore<{ count: number; [user: `user/${string}`]: User; events: AppendLog<Event> }>>();
const widened: Store = app; // any typed store can be handed to code written for `Store`
const widened2: Store<unknown> = users;
// @ts-expect-error an untyped store is not a typed one: declare it with createStore<V> or typedStore
const narrowed: Store<User> = untyped;
void [widened, widened2, narrowed];

// --- expiry: ttl options on every write, typed like the calls without them ---------------------
expectTypeOf(app.assoc('count', 1, { ttl: 1000 })).toEmit<Meta>();
expectTypeOf(app.update('count', { ttl: 1000, fn: (n) => (n ?? 0) + 1 })).toEmit<Change<number>>();
expectTypeOf(app.update('count', { ttl: 1000, fn: (n, by: number) => (n ?? 0) + by }, 5)).toEmit<Change<number>>();
expectTypeOf(app.updateIn(['user/ada', 'tags'], { ttl: 1000, fn: (tags) => [...(tags ?? []), 'x'] })).toEmit<Change<string[]>>();
expectTypeOf(app.assocIn(['user/ada', 'address', 'city'], 'Paris', { ttl: 1000 })).toEmit<Change<User>>();
expectTypeOf(app.multiAssoc([['count', 1]], { ttl: 1000 })).toEmit<Map<Key, true>>();
expectTypeOf(untyped.update('n', { ttl: 5, fn: (n: number | undefined) => (n ?? 0) + 1 })).toEmit<Change<number>>();
expectTypeOf<Meta['expiresAt']>(undefined).toEqualTypeOf<number | undefined>();
// @ts-expect-error -- a ttl is a number of milliseconds
app.assoc('count', 1, { ttl: '1s' });
// @ts-expect-error -- the options' value must still match its key
app.update('count', { ttl: 1000, fn: (n) => String(n) });

// the types a log head and Meta keep
expectTypeOf<AppendLogHead['count']>(0).toEqualTypeOf<number>();
expectTypeOf<Meta['key']>('k').toEqualTypeOf<Key>();
export type { Observable };

// --- scopes are typed as their store; update specs and meta functions infer like plain functions ---
expectTypeOf(app.scope('tenant').scope('eu').get('count')).toEmit<number | undefined>();
expectTypeOf(users.scope('archive').get('u1')).toEmit<User | undefined>();
// @ts-expect-error a scope of a typed store keeps its schema
app.scope('tenant').assoc('count', 'one');
expectTypeOf(app.update('count', { fn: (n) => (n ?? 0) + 1, meta: (old) => ({ edits: Number(old?.['edits'] ?? 0) + 1 }) })).toEmit<Change<number>>();
expectTypeOf(untyped.update('n', { fn: (n: number | undefined, by: number) => (n ?? 0) + by }, 2)).toEmit<Change<number>>();
expectTypeOf(app.updateIn(['user/1', 'address', 'city'], { fn: (c) => `${c}!`, meta: () => undefined })).toEmit<Change<string>>();
app.assocIn(['user/1', 'address', 'zip'], '1000', { meta: (old: Meta | undefined) => ({ ...old }) });
// @ts-expect-error the meta function returns user metadata, not a string
app.update('count', { fn: (n) => n ?? 0, meta: () => 'no' });
// @ts-expect-error the spec's fn is typed by the key like a plain fn
app.update('count', { fn: () => 'one' });
