/**
 * The pure sequential model of the storage API: a state and a step function per operation.
 * Every property compares an implementation against this. It shares no code with any store, except
 * argument conversion (spec/conversion.ts), which is defined once for the model and every wrapper.
 */

import { coerce } from './conversion.js';
import { OPERATIONS, type ArgsOf, type OpName } from './operations.js';

export type { OpName } from './operations.js';

/** One operation with its (string) arguments, e.g. { op: 'session.set', id, key, value }; derived from spec/operations.ts. */
export type OpOf<N extends OpName> = { readonly op: N } & { readonly [F in ArgsOf<N>]: string };
export type Op = { [N in OpName]: OpOf<N> }[OpName];

/** What an operation returns: a value for get, a key list for keys, nothing for mutators. */
export type Output = string | null | readonly string[] | undefined;

export interface State {
  readonly ls: ReadonlyMap<string, string>;
  /** Session id -> its entries. A session with no entries is absent. */
  readonly sessions: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export const emptyState: State = Object.freeze({ ls: new Map(), sessions: new Map() });

function withEntry(m: ReadonlyMap<string, string>, key: string, value: string | undefined): ReadonlyMap<string, string> {
  const next = new Map(m);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}

function withSession(s: State, id: string, entries: ReadonlyMap<string, string>): State {
  const sessions = new Map(s.sessions);
  if (entries.size === 0) sessions.delete(id);
  else sessions.set(id, entries);
  return { ls: s.ls, sessions };
}

/** Apply one operation: the next state and the output the model expects. Pure: `s` is never mutated. */
export function step(s: State, o: Op): { state: State; output: Output } {
  switch (o.op) {
    case 'ls.get':
      return { state: s, output: s.ls.get(o.key) ?? null };
    case 'ls.set':
      return { state: { ls: withEntry(s.ls, o.key, o.value), sessions: s.sessions }, output: undefined };
    case 'ls.remove':
      return s.ls.has(o.key) ? { state: { ls: withEntry(s.ls, o.key, undefined), sessions: s.sessions }, output: undefined } : { state: s, output: undefined };
    case 'ls.clear':
      return { state: s.ls.size === 0 ? s : { ls: new Map(), sessions: s.sessions }, output: undefined };
    case 'ls.keys':
      return { state: s, output: sortKeys([...s.ls.keys()]) };
    case 'session.get':
      return { state: s, output: s.sessions.get(o.id)?.get(o.key) ?? null };
    case 'session.set':
      return { state: withSession(s, o.id, withEntry(s.sessions.get(o.id) ?? new Map(), o.key, o.value)), output: undefined };
    case 'session.delete': {
      const entries = s.sessions.get(o.id);
      if (!entries?.has(o.key)) return { state: s, output: undefined };
      return { state: withSession(s, o.id, withEntry(entries, o.key, undefined)), output: undefined };
    }
    case 'session.clear':
      return { state: s.sessions.has(o.id) ? withSession(s, o.id, new Map()) : s, output: undefined };
  }
}

/** Run a sequence from a state; returns the final state and every output. */
export function run(ops: readonly Op[], from: State = emptyState): { state: State; outputs: Output[] } {
  let state = from;
  const outputs: Output[] = [];
  for (const o of ops) {
    const r = step(state, o);
    state = r.state;
    outputs.push(r.output);
  }
  return { state, outputs };
}

/** Key order is unspecified (LS-KEYS-SET): compare key lists sorted by UTF-16 code units. */
export function sortKeys(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Do an observed output and the model's output agree? Key lists compare as multisets (duplicates differ). */
export function outputsEqual(expected: Output, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    const a = sortKeys(actual as string[]);
    return a.every((k, i) => k === expected[i]);
  }
  // Mutators' return values are ignored (the suite only awaits them).
  if (expected === undefined) return true;
  return Object.is(expected, actual);
}

/** A canonical string of a state: equal states give equal fingerprints (for memoization and comparison). */
export function fingerprint(s: State): string {
  const ls = sortKeys([...s.ls.keys()]).map((k) => [k, s.ls.get(k)]);
  const sessions = sortKeys([...s.sessions.keys()]).map((id) => {
    const e = s.sessions.get(id)!;
    return [id, sortKeys([...e.keys()]).map((k) => [k, e.get(k)])];
  });
  return JSON.stringify([ls, sessions]);
}

export function statesEqual(a: State, b: State): boolean {
  return fingerprint(a) === fingerprint(b);
}

/** Does an operation change state (can it be a write in a history)? */
export function isMutation(o: Op): boolean {
  return OPERATIONS[o.op].mutates;
}

export { coerce } from './conversion.js';

/** An operation with raw (unconverted) arguments, as a caller may pass them. */
export interface RawCall {
  readonly op: OpName;
  readonly args: readonly unknown[];
}

const argNames = (op: OpName): readonly string[] => OPERATIONS[op].args;

/** Convert a raw call to a model operation, or say which argument is rejected (the call must then throw a TypeError and change nothing). */
export function convertCall(c: RawCall): { ok: true; op: Op } | { ok: false; argument: string; reason: string } {
  const names = argNames(c.op);
  const fields: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const r = coerce(c.args[i]);
    if (!r.ok) return { ok: false, argument: names[i]!, reason: r.reason };
    fields[names[i]!] = r.value;
  }
  return { ok: true, op: { op: c.op, ...fields } as Op };
}

export function argumentNames(op: OpName): readonly string[] {
  return argNames(op);
}

/** An operation's arguments in call order, e.g. ["id", "key", "value"] for session.set. */
export function opArgs(o: Op): string[] {
  return argNames(o.op).map((n) => (o as unknown as Record<string, string>)[n]!);
}

/** A readable rendering of an operation, e.g. `session.set("a:b", "", "x")`. */
export function formatOp(o: Op): string {
  return `${o.op}(${opArgs(o).map((a) => quote(a)).join(', ')})`;
}

/** JSON-style quoting that also shows lone surrogates and long strings readably. */
export function quote(s: string, max = 80): string {
  // Cut the escaped text, not the string: 80 NULs escape to 480 characters.
  const full = JSON.stringify(s);
  if (full.length <= max + 2) return full;
  let cut = full.slice(0, max + 1);
  const escape = cut.lastIndexOf('\\');
  if (escape > cut.length - 6) cut = cut.slice(0, escape); // no half escape sequence
  return `${cut}…" (${s.length} chars)`;
}

/** `returned <actual>, <says> <expected>`; for two strings whose previews look alike, where they first differ. */
export function formatMismatch(actual: unknown, expected: unknown, says = 'the model says'): string {
  const base = `returned ${formatOutput(actual)}, ${says} ${formatOutput(expected)}`;
  if (typeof actual !== 'string' || typeof expected !== 'string' || Math.max(actual.length, expected.length) <= 40) return base;
  const i = firstDifferingUnit(actual, expected);
  return `${base} (${actual.length} and ${expected.length} code units, first different at code unit ${i}: ${unitAt(actual, i)} instead of ${unitAt(expected, i)}, after ${quote(expected.slice(Math.max(0, i - 10), i), 40)})`;
}

/** The index of the first code unit where `a` and `b` differ (the shorter one's length if one is a prefix of the other). */
export function firstDifferingUnit(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Code unit `i` of `s` as U+XXXX, or "the end". */
export const unitAt = (s: string, i: number): string => (i < s.length ? `U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}` : 'the end');

/** A key list in a message shows this many keys, then how many there are. */
const MAX_LISTED = 12;

export function formatOutput(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (x === null) return 'null';
  if (typeof x === 'string') return quote(x);
  if (Array.isArray(x)) {
    const shown = x.slice(0, MAX_LISTED).map((k) => (typeof k === 'string' ? quote(k, 40) : String(k)));
    return `[${shown.join(', ')}${x.length > MAX_LISTED ? `, … (${x.length} in all)` : ''}]`;
  }
  return `${typeof x} ${String(x)}`;
}
