/**
 * Blame on the operation that first diverged. When a check fails, the string operations its failing
 * run sent to the store are replayed on a fresh store, reading the whole observable state back after
 * each one: the first operation after which the store and the model disagree is the defect's, and
 * the requirement its effect breaks is the one to name. A check about `ls.clear` whose set-up's
 * `session.clear` already lost data, or any check on a store whose missing keys read as "", then
 * fails the requirement it really found broken instead of its own.
 */
import { convertCall, emptyState, formatOp, formatOutput, formatMismatch, outputsEqual, quote, sortKeys, step, type Op, type Output, type RawCall, type State } from '../spec/model.js';
import type { OpName } from '../spec/operations.js';
import { OPERATIONS } from '../spec/operations.js';
import { MEMBER_NAMES } from './arbitraries.js';
import type { Harness } from './harness.js';
import { Touched } from './observe.js';

/** One observable cell of a store: its key list, a local-storage key, or a session pair. */
type Cell = { kind: 'keys' } | { kind: 'ls'; key: string } | { kind: 'session'; id: string; key: string };

interface CellMismatch {
  cell: Cell;
  expected: Output;
  actual: unknown;
}

export interface Divergence {
  /** 0: the freshly opened store already disagreed; n: after the n-th operation of the run. */
  step: number;
  op?: Op;
  requirement: string;
  /** Other rules the same divergence breaks: a failing check of one of them keeps its requirement. */
  alsoBreaks?: readonly string[];
  /** One line: where it diverged and what was read. */
  what: string;
}

/** Only the first operations of a longer run are replayed (each step reads the whole state back). */
const MAX_REPLAYED_OPS = 300;
/** Never written by any check: what a missing key reads as on this store. */
const CONTROL_KEY = 'titan-storage:never-written';

const describeCell = (c: Cell) => (c.kind === 'keys' ? 'ls.keys()' : c.kind === 'ls' ? `ls.get(${quote(c.key, 40)})` : `session.get(${quote(c.id, 40)}, ${quote(c.key, 40)})`);

/** The first cell of the store's observable state that disagrees with `state`: values before the key list, so a removal that took a neighbour is blamed on the removal. */
async function firstMismatch(h: Harness, state: State, touched: Touched): Promise<CellMismatch | null> {
  touched.addState(state);
  for (const key of touched.lsKeys) {
    const actual = await h.call('ls.get', [key]);
    const expected = state.ls.get(key) ?? null;
    if (actual !== expected) return { cell: { kind: 'ls', key }, expected, actual };
  }
  for (const [id, keys] of touched.sessions) {
    for (const key of keys) {
      const actual = await h.call('session.get', [id, key]);
      const expected = state.sessions.get(id)?.get(key) ?? null;
      if (actual !== expected) return { cell: { kind: 'session', id, key }, expected, actual };
    }
  }
  const actual = (await h.call('ls.keys', [])) as string[];
  const expected = sortKeys([...state.ls.keys()]);
  return outputsEqual(expected, actual) ? null : { cell: { kind: 'keys' }, expected, actual: sortKeys(actual) };
}

const PLAIN = /^[A-Za-z0-9_.:-]+$/;

/** The rule a string breaks when it does not come back: its own requirement if it is unusual, else `plain`. */
function stringRule(strings: readonly string[], plain: string): string {
  if (strings.some((s) => (MEMBER_NAMES as readonly string[]).includes(s))) return 'STR-PROTO-NAMES';
  if (strings.some((s) => s.length > 1 << 20)) return 'STR-LARGE-VALUE';
  if (strings.some((s) => !PLAIN.test(s))) return 'STR-ROUNDTRIP';
  return plain;
}

/** The requirement broken when `op` returned the wrong result although the state before it was right. */
function outputRule(op: Op, expected: Output): string {
  switch (op.op) {
    case 'ls.get':
      return expected === null ? 'LS-GET-MISSING' : stringRule([op.key, expected as string], 'LS-SET-GET');
    case 'session.get':
      return expected === null ? 'SES-GET-MISSING' : stringRule([op.id, op.key, expected as string], 'SES-SET-GET');
    case 'ls.keys':
      return 'LS-KEYS-SET';
    default:
      return 'API-RESULT-TYPE';
  }
}

/** ls.keys() lists something nobody wrote in place of `key`: the key was changed on the way (trimmed, case-folded, …). */
function keyCameBackChanged(m: CellMismatch, key: string): boolean {
  const actual = m.actual as string[];
  const expected = new Set(m.expected as string[]);
  return new Set(actual).size === actual.length && !actual.includes(key) && actual.some((k) => !expected.has(k));
}

/** The requirement broken when the state is wrong right after `op` (it was right before). */
type Rule = string | readonly [string, ...string[]];
const EFFECT_RULES: { [N in OpName]: (op: Extract<Op, { op: N }>, m: CellMismatch, before: State) => Rule } = {
  'ls.get': () => 'SEQ-MODEL',
  'ls.keys': () => 'SEQ-MODEL',
  'session.get': () => 'SEQ-MODEL',
  'ls.set': (op, m) => {
    const { cell } = m;
    if (cell.kind === 'session') return 'ISO-LS-SESSION';
    if (cell.kind === 'ls' && cell.key !== op.key) return ['STR-DISTINCT', 'STR-ROUNDTRIP'];
    if (cell.kind === 'ls' && op.value === '' && PLAIN.test(op.key)) return 'VAL-EMPTY-STRING';
    // A key listed in another form (trimmed, case-folded, …) did not round-trip, whatever it is.
    if (cell.kind === 'keys') return keyCameBackChanged(m, op.key) ? ['STR-ROUNDTRIP', 'STR-DISTINCT'] : 'LS-KEYS-SET';
    return stringRule([op.key, op.value], 'LS-SET-GET');
  },
  'ls.remove': (op, { cell }, before) => {
    if (cell.kind === 'session') return 'ISO-LS-SESSION';
    if (!before.ls.has(op.key)) return 'LS-REMOVE-MISSING';
    return cell.kind === 'keys' ? 'LS-KEYS-SET' : 'LS-REMOVE';
  },
  'ls.clear': () => 'LS-CLEAR',
  'session.set': (op, { cell }) => {
    if (cell.kind !== 'session') return 'ISO-LS-SESSION';
    if (cell.id !== op.id || cell.key !== op.key) return 'SES-ISOLATION';
    if (op.value === '' && PLAIN.test(op.id) && PLAIN.test(op.key)) return 'VAL-EMPTY-STRING';
    return stringRule([op.id, op.key, op.value], 'SES-SET-GET');
  },
  'session.delete': (_op, { cell }) => (cell.kind === 'session' ? 'SES-DELETE' : 'ISO-LS-SESSION'),
  'session.clear': (_op, { cell }) => (cell.kind === 'session' ? 'SES-CLEAR' : 'ISO-LS-SESSION'),
};

const effectRule = <N extends OpName>(op: Extract<Op, { op: N }>, m: CellMismatch, before: State): Rule => (EFFECT_RULES[op.op as N] as (o: typeof op, m: CellMismatch, b: State) => Rule)(op, m, before);

/** The requirement a rule names first, and the others it names. */
const named = (r: Rule): Pick<Divergence, 'requirement' | 'alsoBreaks'> => (typeof r === 'string' ? { requirement: r } : { requirement: r[0], alsoBreaks: r.slice(1) });

/** A fresh store that disagrees with the empty model: leftovers (OPEN-FRESH-EMPTY), or missing keys that read as something. */
async function freshRule(h: Harness, m: CellMismatch): Promise<string> {
  if (m.cell.kind === 'keys') return 'OPEN-FRESH-EMPTY';
  if (m.cell.kind === 'ls') return (await h.call('ls.get', [CONTROL_KEY])) !== null ? 'LS-GET-MISSING' : 'OPEN-FRESH-EMPTY';
  return (await h.call('session.get', [CONTROL_KEY, CONTROL_KEY])) !== null ? 'SES-GET-MISSING' : 'OPEN-FRESH-EMPTY';
}

const readLine = (m: CellMismatch) => `${describeCell(m.cell)} ${formatMismatch(m.actual, m.expected)}`;

/**
 * Replay `ops` on the fresh store `h` against the model, reading everything the run touched after each
 * operation. Null when the replay agrees throughout (the failure is not a divergence of these
 * operations) or when an operation throws here.
 */
export async function firstDivergence(h: Harness, run: readonly Op[], alsoTouched: readonly Op[] = []): Promise<Divergence | null> {
  const ops = run.slice(0, MAX_REPLAYED_OPS);
  const touched = new Touched();
  for (const o of [...ops, ...alsoTouched.slice(0, MAX_REPLAYED_OPS)]) touched.add(o);
  try {
    const fresh = await firstMismatch(h, emptyState, touched);
    if (fresh) return { step: 0, requirement: await freshRule(h, fresh), what: `on a freshly opened store, ${readLine(fresh)}` };
    let state = emptyState;
    for (const [i, op] of ops.entries()) {
      const expected = step(state, op);
      const actual = await h.apply(op);
      const at = `at step ${i + 1}, ${formatOp(op)}`;
      if (!outputsEqual(expected.output, actual)) return { step: i + 1, op, requirement: outputRule(op, expected.output), what: `${at} ${formatMismatch(actual, expected.output)}` };
      if (OPERATIONS[op.op].mutates) {
        const m = await firstMismatch(h, expected.state, touched);
        if (m) return { step: i + 1, op, ...named(effectRule(op, m, state)), what: `${at}: then ${readLine(m)}` };
      }
      state = expected.state;
    }
    return null;
  } catch {
    return null;
  }
}

/** The calls as model operations (String(x) of each argument), leaving out those that convert to none. */
function converted(calls: readonly RawCall[]): Op[] {
  const ops: Op[] = [];
  for (const c of calls) {
    try {
      const r = convertCall(c);
      if (r.ok) ops.push(r.op);
    } catch {
      // a toString that throws this time: not replayable
    }
  }
  return ops;
}

/** Failures of these are never moved: the catch-all, and what the error itself already names. */
const KEEP = new Set(['SEQ-MODEL', 'API-TIMELY', 'API-RESULT-TYPE', 'API-NO-THROW', 'API-SHAPE']);

/**
 * The defect of another rule that a failure of `requirement` ran into, if any: the first store the
 * failing run opened (`runs`, in order) is replayed step by step, reading also what the later ones
 * (after a restart) read. A divergence whose rule is `requirement` itself leaves the failure as it is.
 */
export async function earlierDefect(ctx: { fresh(): Promise<Harness> }, requirement: string, runs: readonly Harness[]): Promise<Divergence | null> {
  if (KEEP.has(requirement) || runs.length === 0) return null;
  const [first, ...later] = runs;
  const h = await ctx.fresh();
  let d: Divergence | null;
  try {
    d = await firstDivergence(h, converted(first!.log), converted(later.flatMap((r) => r.log)));
  } finally {
    await h.close().catch(() => {});
  }
  return d === null || d.requirement === requirement || d.alsoBreaks?.includes(requirement) || d.requirement === 'SEQ-MODEL' ? null : d;
}
