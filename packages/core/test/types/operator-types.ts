/**
 * Compile-time tests of the store operators: what they accept and emit on untyped, value-typed
 * and schema stores, with and without `withKey`. Checked by `types.test.ts`; nothing here runs.
 */
import { from, of } from 'rxjs';
import { assocTo, dissocFrom, existsIn, getFrom, updateWith } from '@konserve-rx/core';
import type { AppendLog, Change, Key, Keyed, Meta, Schema, Store } from '@konserve-rx/core';
import { expectTypeOf } from './expect-type';

interface User {
  name: string;
}
type App = Schema<{ count: number; [user: `user/${string}`]: User; events: AppendLog<string> }>;

declare const untyped: Store;
declare const users: Store<User>;
declare const app: Store<App>;
declare const user: User;

// getFrom
expectTypeOf(of('a', 'b').pipe(getFrom(untyped))).toEmit<unknown>();
expectTypeOf(of('a', 'b').pipe(getFrom(users))).toEmit<User | undefined>();
expectTypeOf(of('a', 'b').pipe(getFrom(users, { withKey: true }))).toEmit<Keyed<string, User | undefined>>();
expectTypeOf(of('user/1' as const).pipe(getFrom(app))).toEmit<User | undefined>();
expectTypeOf(of<'count' | 'user/1'>('count').pipe(getFrom(app, { concurrency: 4, ordered: false }))).toEmit<number | User | undefined>();
// @ts-expect-error 'nope' is not a key of the schema
of('nope' as const).pipe(getFrom(app));
// @ts-expect-error concurrency is a number
getFrom(users, { concurrency: '4' });

// assocTo
expectTypeOf(of(['k', user] as const).pipe(assocTo(users))).toEmit<Meta>();
expectTypeOf(of(['k', user] as const).pipe(assocTo(users, { withKey: true }))).toEmit<Keyed<Key, Meta>>();
expectTypeOf(from([['count', 1] as const, ['user/1', user] as const]).pipe(assocTo(app))).toEmit<Meta>();
expectTypeOf(of(['anything', () => 1] as const).pipe(assocTo(untyped))).toEmit<Meta>();
// @ts-expect-error values must be Users
of(['k', { name: 1 }] as const).pipe(assocTo(users));
// @ts-expect-error 'count' holds a number
of(['count', 'one'] as const).pipe(assocTo(app));

// updateWith
expectTypeOf(of('hits').pipe(updateWith(untyped, (n: number | undefined) => (n ?? 0) + 1))).toEmit<Change<number>>();
expectTypeOf(of('u1').pipe(updateWith(users, (u, key) => ({ name: `${u?.name ?? ''}${String(key)}` })))).toEmit<Change<User>>();
expectTypeOf(of('count' as const).pipe(updateWith(app, (n: number | undefined) => (n ?? 0) + 1))).toEmit<Change<number>>();
expectTypeOf(of('u1').pipe(updateWith(users, (u) => u ?? user, { withKey: true }))).toEmit<Keyed<string, Change<User>>>();
// @ts-expect-error the function must return a User
of('u1').pipe(updateWith(users, () => 1));

// dissocFrom and existsIn
expectTypeOf(of('a').pipe(dissocFrom(users))).toEmit<boolean>();
expectTypeOf(of('a').pipe(existsIn(untyped))).toEmit<boolean>();
expectTypeOf(of('a').pipe(existsIn(untyped, { withKey: true }))).toEmit<Keyed<string, boolean>>();
expectTypeOf(of('count' as const).pipe(dissocFrom(app, { withKey: true }))).toEmit<Keyed<'count', boolean>>();
// @ts-expect-error a key is a string, number, or array/plain object of those
of(Symbol('k')).pipe(existsIn(untyped));
