/**
 * One process per contender: the memory and durable sections build each contender in a child
 * process of its own and drive it from here by messages. A contender's numbers then cannot depend
 * on what ran before it: no other contender's code shares its JIT type feedback (a call site that
 * saw six stores' Observables is slower than one that saw one), its heap or its garbage. The
 * rounds still alternate between contenders, so a busy moment of the machine hurts them alike.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RemoteCase, Timing } from './harness';
import type { DocName } from './fixture';
import type { MemoryContenderName } from './contenders/memory';

/** Which contender a child process builds, and over what. */
export type ContenderSpec =
  | { readonly section: 'memory'; readonly name: MemoryContenderName; readonly keys: number; readonly doc: DocName }
  | { readonly section: 'durable'; readonly kind: string; readonly dir: string; readonly keys: number; readonly fsync: boolean; readonly doc: DocName };

/** The operation a timing request runs. */
export type ContenderOp = 'get' | 'put';

/** A request to the child. */
export type ToChild =
  | { readonly type: 'open'; readonly spec: ContenderSpec }
  | { readonly type: 'time'; readonly op: ContenderOp; readonly count: number; readonly inFlight: number };

/** A reply from the child: one per request. */
export type FromChild = { readonly type: 'ready' } | ({ readonly type: 'timed' } & Timing) | { readonly type: 'failed'; readonly error: string };

/** A contender living in a child process. */
export interface IsolatedContender {
  /** Runs `count` operations `op` with `inFlight` at once in the child, timed there. */
  time(op: ContenderOp, count: number, inFlight: number): Promise<Timing>;
  /** A case of the harness that runs `op` in this child. */
  caseOf(id: string, op: ContenderOp, inFlight: number): RemoteCase;
  /** Closes the contender and ends the child. */
  close(): Promise<void>;
}

/** The child's script; compiled JS, so `npm run build` must have run (tests included). */
const CHILD = join(__dirname, '..', 'dist', 'contender-process.js');

/** Starts a child process, has it build the contender of `spec`, and resolves once it is ready. */
export async function spawnContender(spec: ContenderSpec): Promise<IsolatedContender> {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  const ask = requester(child);
  try {
    await ask({ type: 'open', spec });
  } catch (e) {
    child.kill();
    throw e;
  }
  const time = async (op: ContenderOp, count: number, inFlight: number): Promise<Timing> => {
    const { wallMs, cpuMs } = (await ask({ type: 'time', op, count, inFlight })) as Timing;
    return { wallMs, cpuMs };
  };
  return {
    time,
    caseOf: (id, op, inFlight) => ({ id, inFlight, time: (count: number) => time(op, count, inFlight) }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** One request at a time: the reply to a request is the next message from the child. */
function requester(child: ChildProcess): (m: ToChild) => Promise<FromChild> {
  let waiting: { resolve: (m: FromChild) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (m: FromChild) => {
    const w = waiting;
    waiting = undefined;
    if (m.type === 'failed') w?.reject(new Error(`contender process: ${m.error}`));
    else w?.resolve(m);
  });
  child.on('exit', (code, signal) => waiting?.reject(new Error(`contender process exited (${signal ?? code})`)));
  return (m) =>
    new Promise<FromChild>((resolve, reject) => {
      waiting = { resolve, reject };
      child.send(m);
    });
}
