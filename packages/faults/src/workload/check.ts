/**
 * Runs a workload against a Store and checks every outcome against the reference model:
 * successes must equal the prediction exactly; failures must be predicted, or be explained by an
 * injected fault, and then leave each touched key in its old state (or its new one, when a
 * crash reached the inner backing); a clean Store over the inner backing must read every key
 * back exactly, at every check and at the end.
 */
import type { Key, Store } from '@konserve-rx/core';
import type { FaultRecord } from '../options';
import { keyText, sameValue, show } from './equal';
import { createModel, type KeyState, type StateChange, type StoreModel } from './model';
import { observeKey, sameState } from './observe';
import { describeOp, isWriteOp, keysOf, type WorkloadOp } from './ops';
import { codeOf, runOp, settleOutcome, opCall, type Outcome } from './run-op';

/** Options of {@link runWorkload}. */
export interface WorkloadOptions {
  /** The Store under test (over a faulty backing, or any backing). */
  readonly store: Store;
  /** The operations, run one after another. */
  readonly ops: readonly WorkloadOp[];
  /**
   * A Store over the same data without faults: the ground truth for what was committed.
   * @default store
   */
  readonly clean?: Store;
  /**
   * The fault record of the faulty backing (`backing.faults`), to tell faults from bugs.
   * @default none: every unpredicted failure is a violation
   */
  readonly faults?: readonly FaultRecord[];
  /**
   * Whether a batch write (`multiAssoc`, `multiDissoc`) that failed must have applied all its keys or none.
   * @default store.backing.capabilities.atomicMulti
   */
  readonly atomicBatches?: boolean;
  /**
   * Compare every key the model knows through `clean` after each step, not only at the end.
   * @default false
   */
  readonly verifyEachStep?: boolean;
  /**
   * The model to start from (and to keep using afterwards).
   * @default an empty model
   */
  readonly model?: StoreModel;
  /**
   * Called after each step with what happened (for statistics, debugging and extra checks such
   * as `unexplainedFlip`); the run waits for a returned promise before it checks the step.
   */
  readonly onStep?: (step: WorkloadStep) => void | Promise<void>;
}

/** One step of a workload run, as reported to `onStep`. */
export interface WorkloadStep {
  /** The step's index in `ops`. */
  readonly index: number;
  /** The operation. */
  readonly op: WorkloadOp;
  /** What it did. */
  readonly outcome: Outcome;
  /** The faults injected while it ran. */
  readonly injected: readonly FaultRecord[];
}

/** What a workload run found. */
export interface WorkloadReport {
  /** Contract violations; empty when the store behaved. The run stops at the first one. */
  readonly violations: string[];
  /** Steps run. */
  readonly steps: number;
  /** Steps that failed (predicted errors and injected faults). */
  readonly failed: number;
  /** Failed writes that reached the inner backing before failing (old or new state allowed). */
  readonly ambiguous: number;
  /** Failed reads or writes caused by a flipped bit, detected as ERR_CORRUPT / ERR_FORMAT. */
  readonly corruptDetected: number;
}

/** Codes a flipped bit may surface as: never data. */
const DAMAGE_CODES = new Set(['ERR_CORRUPT', 'ERR_FORMAT']);

/**
 * Runs `ops` one at a time and checks each against the model.
 * @param options - the stores, the workload, the fault record and the checks to make
 * @returns the report; `violations` is empty when every guarantee held
 */
export async function runWorkload(options: WorkloadOptions): Promise<WorkloadReport> {
  const { store, ops } = options;
  const clean = options.clean ?? store;
  const model = options.model ?? createModel();
  const faults = options.faults ?? [];
  const atomic = options.atomicBatches ?? store.backing.capabilities.atomicMulti;
  const report = { violations: [] as string[], steps: 0, failed: 0, ambiguous: 0, corruptDetected: 0 };
  const fail = (i: number, op: WorkloadOp, why: string): WorkloadReport => {
    report.violations.push(`step ${i} ${describeOp(op)}: ${why}`);
    return report;
  };
  for (const [i, op] of ops.entries()) {
    report.steps++;
    const prediction = model.predict(op);
    const before = faults.length;
    const outcome = await runOp(store, op);
    const injected = faults.slice(before);
    await options.onStep?.({ index: i, op, outcome, injected });
    if (outcome.ok) {
      if (!prediction.expected.ok || !sameValue(prediction.expected.value, outcome.value)) {
        return fail(i, op, `expected ${showExpected(prediction.expected)}, got ${show(outcome.value)}${faultNote(injected)}`);
      }
      model.apply(prediction.changes);
    } else {
      report.failed++;
      const why = explainFailure(outcome, prediction.expected, injected);
      if (why !== undefined) return fail(i, op, why);
      if (injected.some((f) => f.kind === 'bitflip') && DAMAGE_CODES.has(codeOf(outcome.error) ?? '')) report.corruptDetected++;
      const reached = isWriteOp(op) && injected.some((f) => f.kind === 'crash' && f.applied !== 'none');
      if (reached) report.ambiguous++;
      const problem = await resolveState(clean, model, op, prediction.changes, reached, atomic);
      if (problem !== undefined) return fail(i, op, problem);
    }
    if (options.verifyEachStep) {
      const problem = await verifyAll(clean, model);
      if (problem !== undefined) return fail(i, op, `after the step: ${problem}`);
    }
  }
  const problem = await verifyAll(clean, model);
  if (problem !== undefined) report.violations.push(`at the end: ${problem}`);
  return report;
}

/**
 * Subscribes to all `ops` at once (in order) and checks each result against the model applied
 * in subscription order: the per-key order guarantee. `keys` ops are not allowed (they take no lock).
 * @returns the violations found (empty when every result matched); the model advances
 */
export async function runConcurrently(store: Store, ops: readonly WorkloadOp[], model: StoreModel): Promise<string[]> {
  const predictions = ops.map((op) => {
    if (op.op === 'keys') throw new Error('runConcurrently: keys() takes no lock, so its result depends on timing');
    const p = model.predict(op);
    if (p.expected.ok) model.apply(p.changes);
    return p;
  });
  const calls = ops.map((op) => opCall(store, op));
  const outcomes = await Promise.all(calls.map((c) => settleOutcome(c)));
  const violations: string[] = [];
  outcomes.forEach((outcome, i) => {
    const expected = predictions[i]!.expected;
    const matches = outcome.ok ? expected.ok && sameValue(expected.value, outcome.value) : !expected.ok && codeOf(outcome.error) === expected.code;
    if (!matches) violations.push(`op ${i} of ${ops.length} ${describeOp(ops[i]!)}: expected ${showExpected(expected)}, got ${showOutcome(outcome)}`);
  });
  return violations;
}

/** Compares every key the model knows, and the key list, through `store`; a description of the first difference. */
export async function verifyAll(store: Store, model: StoreModel): Promise<string | undefined> {
  const listed = await runOp(store, { op: 'keys' });
  const expectedKeys = [...model.entries].map(([text, e]) => [text, e.state.type]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  if (!listed.ok) return `keys() failed through the clean store: ${show(String(listed.error))}`;
  if (!sameValue(expectedKeys, listed.value)) return `keys() listed ${show(listed.value)}, expected ${show(expectedKeys)}`;
  for (const { key, state } of model.entries.values()) {
    const problem = await checkKey(store, key, [state]);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function explainFailure(outcome: Outcome & { ok: false }, expected: { ok: boolean; code?: string }, injected: readonly FaultRecord[]): string | undefined {
  const code = codeOf(outcome.error);
  if (!expected.ok && code === expected.code) return undefined;
  if (injected.length === 0) return `failed with ${code ?? String(outcome.error)} without an injected fault; expected ${showExpected(expected as never)}`;
  if (DAMAGE_CODES.has(code ?? '') && !injected.some((f) => f.kind === 'bitflip'))
    return `failed with ${code}, but no bit was flipped: stored data is damaged${faultNote(injected)}`;
  if (code === 'ERR_INVALID_ARGUMENT' || code === 'ERR_INVALID_KEY' || code === 'ERR_NOT_SERIALIZABLE') {
    return `failed with ${code}, which no fault explains; expected ${showExpected(expected as never)}${faultNote(injected)}`;
  }
  return undefined;
}

/** After a failed op: each touched key must hold its old state, or its new one when the write reached the inner backing. */
async function resolveState(
  clean: Store,
  model: StoreModel,
  op: WorkloadOp,
  changes: readonly StateChange[],
  reached: boolean,
  atomic: boolean,
): Promise<string | undefined> {
  const next = new Map<string, StateChange>(changes.map((c) => [c.text, c]));
  const seen = new Map<string, { key: Key; observed: KeyState | undefined; isNew: boolean; isOld: boolean }>();
  for (const key of keysOf(op)) {
    const text = keyText(key);
    if (seen.has(text)) continue;
    const old = model.state(key);
    const allowed = reached && next.has(text) ? [old, next.get(text)!.state] : [old];
    let observed: KeyState | undefined;
    try {
      observed = await observeKey(clean, key);
    } catch (e) {
      return `after the failure, the clean store cannot read ${show(key)}: ${codeOf(e) ?? String(e)}`;
    }
    if (!allowed.some((s) => sameState(s, observed))) {
      return `after the failure, ${show(key)} holds ${show(observed)}; allowed: ${allowed.map(show).join(' or ')}`;
    }
    seen.set(text, { key, observed, isOld: sameState(old, observed), isNew: next.has(text) && sameState(next.get(text)!.state, observed) });
  }
  const states = [...seen.values()];
  if (atomic && (op.op === 'multiAssoc' || op.op === 'multiDissoc') && !states.every((s) => s.isOld) && !states.every((s) => s.isNew)) {
    return `a failed batch on a backing with atomic batches was applied in part: ${states.map((s) => `${show(s.key)}=${s.isNew ? 'new' : 'old'}`).join(', ')}`;
  }
  model.apply(states.map((s) => ({ text: keyText(s.key), key: s.key, state: s.observed })));
  return undefined;
}

async function checkKey(store: Store, key: Key, allowed: ReadonlyArray<KeyState | undefined>): Promise<string | undefined> {
  let observed: KeyState | undefined;
  try {
    observed = await observeKey(store, key);
  } catch (e) {
    return `${show(key)} cannot be read: ${codeOf(e) ?? String(e)}`;
  }
  return allowed.some((s) => sameState(s, observed)) ? undefined : `${show(key)} holds ${show(observed)}, expected ${allowed.map(show).join(' or ')}`;
}

function showExpected(expected: { ok: true; value: unknown } | { ok: false; code: string }): string {
  return expected.ok ? show(expected.value) : `an error ${expected.code}`;
}

function showOutcome(outcome: Outcome): string {
  return outcome.ok ? show(outcome.value) : `an error ${codeOf(outcome.error) ?? String(outcome.error)}`;
}

function faultNote(injected: readonly FaultRecord[]): string {
  return injected.length === 0 ? '' : ` (faults injected: ${injected.map((f) => `${f.kind} ${f.op}${f.kind === 'crash' ? `/${f.applied}` : ''}`).join(', ')})`;
}
