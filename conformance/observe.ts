/**
 * Driving a store and the model side by side, and reading a store's whole observable state back
 * to compare it with the model.
 */
import { formatOp, formatOutput, formatMismatch, outputsEqual, quote, sortKeys, step, emptyState, type Op, type Output, type State } from '../spec/model.js';
import type { Harness } from './harness.js';
import { avoidsOp } from './avoid.js';
import { Mismatch } from './property.js';

/** Every key and (session id, key) an operation sequence mentioned: what to read back. */
export class Touched {
  readonly lsKeys = new Set<string>();
  readonly sessions = new Map<string, Set<string>>();

  add(o: Op): this {
    if ('id' in o) {
      let keys = this.sessions.get(o.id);
      if (!keys) this.sessions.set(o.id, (keys = new Set()));
      if ('key' in o) keys.add(o.key);
    } else if ('key' in o) this.lsKeys.add(o.key);
    return this;
  }

  addState(s: State): this {
    for (const k of s.ls.keys()) this.lsKeys.add(k);
    for (const [id, entries] of s.sessions) for (const k of entries.keys()) this.add({ op: 'session.get', id, key: k });
    return this;
  }
}

/** Apply `ops` to the store and the model; every output must agree. Returns the model's final state. */
export async function applyChecked(h: Harness, ops: readonly Op[], from: State = emptyState, touched?: Touched): Promise<State> {
  let state = from;
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    touched?.add(o);
    const expected = step(state, o);
    const actual = await h.apply(o);
    if (!outputsEqual(expected.output, actual)) {
      throw new Mismatch(`step ${i + 1}: ${formatOp(o)} ${formatMismatch(actual, expected.output)}`);
    }
    state = expected.state;
  }
  return state;
}

/** One observable cell of a store: its key list, a local-storage key, or a session pair. */
export type Cell = { kind: 'keys' } | { kind: 'ls'; key: string } | { kind: 'session'; id: string; key: string };

export interface CellMismatch {
  cell: Cell;
  expected: Output;
  actual: unknown;
}

export const describeCell = (c: Cell) => (c.kind === 'keys' ? 'ls.keys()' : c.kind === 'ls' ? `ls.get(${quote(c.key)})` : `session.get(${quote(c.id)}, ${quote(c.key)})`);

/**
 * Read everything observable (ls.keys, every touched key and session pair) and return the first cell
 * that disagrees with `state` (the key list first, or last with `keysLast`). `agrees` may accept a
 * value cell that is not equal (default: equality).
 */
export async function firstMismatch(h: Harness, state: State, touched: Touched, opts: { keysLast?: boolean; agrees?: (cell: Cell, expected: Output, actual: unknown) => boolean } = {}): Promise<CellMismatch | null> {
  const agrees = opts.agrees ?? ((_c, expected, actual) => actual === expected);
  touched.addState(state);
  const keys = async (): Promise<CellMismatch | null> => {
    // A run without ls.keys (its defect is another rule's, conformance/avoid.ts) reads the values only.
    if (avoidsOp('ls.keys')) return null;
    const actual = (await h.call('ls.keys', [])) as string[];
    const expected = sortKeys([...state.ls.keys()]);
    return outputsEqual(expected, actual) ? null : { cell: { kind: 'keys' }, expected, actual: sortKeys(actual) };
  };
  if (!opts.keysLast) {
    const m = await keys();
    if (m) return m;
  }
  for (const key of touched.lsKeys) {
    const cell: Cell = { kind: 'ls', key };
    const actual = await h.call('ls.get', [key]);
    const expected = state.ls.get(key) ?? null;
    if (!agrees(cell, expected, actual)) return { cell, expected, actual };
  }
  for (const [id, sessionKeys] of touched.sessions) {
    for (const key of sessionKeys) {
      const cell: Cell = { kind: 'session', id, key };
      const actual = await h.call('session.get', [id, key]);
      const expected = state.sessions.get(id)?.get(key) ?? null;
      if (!agrees(cell, expected, actual)) return { cell, expected, actual };
    }
  }
  return opts.keysLast ? keys() : null;
}

/** Read everything observable and compare with the model state; the first disagreement fails. */
export async function expectState(h: Harness, expected: State, touched: Touched, when: string): Promise<void> {
  const m = await firstMismatch(h, expected, touched);
  if (m) throw new Mismatch(`${when}: ${describeCell(m.cell)} ${formatMismatch(m.actual, m.expected)}`);
}

/** Apply without comparing outputs (building up a state); returns the model state. */
export async function applyAll(h: Harness, ops: readonly Op[], from: State = emptyState, touched?: Touched): Promise<State> {
  let state = from;
  for (const o of ops) {
    touched?.add(o);
    await h.apply(o);
    state = step(state, o).state;
  }
  return state;
}

/** A setup sequence followed by the step under test; an empty setup is left out. */
export function showThen(setup: readonly Op[], then: string): string {
  return setup.length === 0 ? then : `${showOps(setup)}\n  then ${then}`;
}

export function showOps(ops: readonly Op[]): string {
  return ops.length === 0 ? '(no operations)' : ops.map((o, i) => `${String(i + 1).padStart(3)}. ${formatOp(o)}`).join('\n');
}

/** Fail with a readable message unless `got` is exactly `want` (key lists compare as sets). */
export function expectOutput(call: string, got: unknown, want: string | null | readonly string[]): void {
  if (!outputsEqual(want, got)) throw new Mismatch(`${call} returned ${formatOutput(Array.isArray(got) ? sortKeys(got) : got)}, expected ${formatOutput(want)}`);
}

/** Call a raw operation and say what it did, for failure messages. */
export function callText(op: string, ...args: string[]): string {
  return `${op}(${args.map((a) => quote(a)).join(', ')})`;
}
