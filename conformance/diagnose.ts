/**
 * Blame on the operation that first diverged. When a check fails, the string operations its failing
 * run sent to the store are replayed on a fresh store, reading the whole observable state back after
 * each one: the first operation after which the store and the model disagree is the defect's, and
 * the requirement its effect breaks is the one to name. A check about `ls.clear` whose set-up's
 * `session.clear` already lost data, or any check on a store whose missing keys read as "", then
 * fails the requirement it really found broken instead of its own.
 */
import { convertCall, emptyState, formatOp, formatOutput, formatMismatch, outputsEqual, quote, sortKeys, step, type Op, type Output, type RawCall, type State } from '../spec/model.js';
import { OPERATIONS, type OpName } from '../spec/operations.js';
import { MEMBER_NAMES } from './arbitraries.js';
import type { Harness } from './harness.js';
import { describeCell, firstMismatch, Touched, type CellMismatch } from './observe.js';
import { currentAvoidance, keyChangeClass, type Avoid, type InputClass } from './avoid.js';
import { CheckFailure } from './check.js';

export interface Divergence {
  /** 0: the freshly opened store already disagreed; n: after the n-th operation of the run. */
  step: number;
  op?: Op;
  requirement: string;
  /** Other rules the same divergence breaks: a failing check of one of them keeps its requirement. */
  alsoBreaks?: readonly string[];
  /** One line: where it diverged and what was read. */
  what: string;
  /** The symptom other checks can read through to judge their own rule (missing keys that read as ""). */
  tolerate?: Avoid;
}

/** Only the first operations of a longer run are replayed (each step reads the whole state back). */
const MAX_REPLAYED_OPS = 300;
/** Never written by any check: what a missing key reads as on this store. */
const CONTROL_KEY = 'titan-storage:never-written';

/** What a key nobody wrote reads as on this store, per namespace: null, or the value its missing keys read as. */
interface MissingReads {
  ls: unknown;
  session: unknown;
}

/** Which namespaces' missing-key value a replay relied on. */
interface Tolerated {
  ls: boolean;
  session: boolean;
}

function agreesIn(ns: keyof Tolerated, tolerated: Tolerated, expected: Output, actual: unknown, missing: unknown): boolean {
  if (actual === expected) return true;
  if (expected !== null || missing === null || actual !== missing) return false;
  tolerated[ns] = true;
  return true;
}

/**
 * The first cell of the store's observable state that disagrees with `state`: values before the key
 * list, so a removal that took a neighbour is blamed on the removal. A missing key that reads as this
 * store's missing-key value agrees: that defect is reported once, and the replay looks past it.
 */
const mismatchReadingThrough = (h: Harness, state: State, touched: Touched, missing: MissingReads, tolerated: Tolerated) =>
  firstMismatch(h, state, touched, { keysLast: true, agrees: (cell, expected, actual) => agreesIn(cell.kind as keyof Tolerated, tolerated, expected, actual, missing[cell.kind as keyof MissingReads]) });

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

/** The class of keys an ls.set changed on the way (lower-cased, trimmed, NFC), seen in the key list or in another key's value. */
function keyChanged(op: Op, m: CellMismatch): InputClass | undefined {
  if (op.op !== 'ls.set') return undefined;
  if (m.cell.kind === 'ls') return keyChangeClass(op.key, m.cell.key);
  if (m.cell.kind !== 'keys') return undefined;
  const expected = new Set(m.expected as string[]);
  for (const k of m.actual as string[]) if (!expected.has(k)) return keyChangeClass(op.key, k);
  return undefined;
}

/** ls.keys() lists the right keys, some more than once: a symptom other checks can read through. */
function listsTwice(m: CellMismatch): boolean {
  if (m.cell.kind !== 'keys') return false;
  const actual = m.actual as string[];
  const unique = [...new Set(actual)];
  return unique.length < actual.length && outputsEqual(sortKeys(unique), m.expected as string[]);
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

const STRING_RULES = new Set(['STR-ROUNDTRIP', 'STR-PROTO-NAMES', 'STR-LARGE-VALUE', 'VAL-EMPTY-STRING']);

/**
 * A set blamed on its unusual strings is checked against plain ones first: if a plain key with the value ""
 * is lost too, it is VAL-EMPTY-STRING's; if a plain key and value are, the plain rule's.
 */
async function unlessPlainFails(h: Harness, op: Op, rule: Pick<Divergence, 'requirement' | 'alsoBreaks'>): Promise<Pick<Divergence, 'requirement' | 'alsoBreaks'>> {
  if (!STRING_RULES.has(rule.requirement) || (op.op !== 'ls.set' && op.op !== 'session.set')) return rule;
  const keeps = (value: string) => keepsPlain(h, OPERATIONS[op.op].namespace, value);
  if (!(await keeps('v'))) return { requirement: op.op === 'ls.set' ? 'LS-SET-GET' : 'SES-SET-GET' };
  if (op.value === '' && rule.requirement !== 'VAL-EMPTY-STRING' && !(await keeps(''))) return { requirement: 'VAL-EMPTY-STRING' };
  return rule;
}

/** Whether `value` under the control key (or pair) reads back; the entry is removed again. */
async function keepsPlain(h: Harness, namespace: 'ls' | 'session', value: string): Promise<boolean> {
  const K = CONTROL_KEY;
  const [set, get, undo]: Op[] = namespace === 'ls' ? [{ op: 'ls.set', key: K, value }, { op: 'ls.get', key: K }, { op: 'ls.remove', key: K }] : [{ op: 'session.set', id: K, key: K, value }, { op: 'session.get', id: K, key: K }, { op: 'session.clear', id: K }];
  await h.apply(set!);
  const ok = (await h.apply(get!)) === value;
  await h.apply(undo!);
  return ok;
}

/** A missing-key defect (found on the fresh store with the never-written control key) the replay read through: reported if nothing else diverged. */
function missingDivergence(missing: MissingReads, tolerated: Tolerated): Divergence | null {
  const ls = `a key that was never written reads as ${formatOutput(missing.ls)}: on a freshly opened store, ls.get(${quote(CONTROL_KEY)}) returned it, not null`;
  const session = `a pair that was never written reads as ${formatOutput(missing.session)}: on a freshly opened store, session.get(${quote(CONTROL_KEY)}, ${quote(CONTROL_KEY)}) returned it, not null`;
  const tolerate = (namespaces: ('ls' | 'session')[], reads: unknown): Avoid | undefined => (typeof reads === 'string' ? { kind: 'missing', namespaces, reads } : undefined);
  // Sessions whose missing pairs read the same are read through too, even if this replay did not meet one (never in SES-GET-MISSING's own checks).
  const both = missing.session === missing.ls ? (['ls', 'session'] as const) : (['ls'] as const);
  if (tolerated.ls) return { step: 0, requirement: 'LS-GET-MISSING', ...(tolerated.session ? { alsoBreaks: ['SES-GET-MISSING'] } : {}), what: ls, tolerate: tolerate([...both], missing.ls) };
  if (tolerated.session) return { step: 0, requirement: 'SES-GET-MISSING', what: session, tolerate: tolerate(['session'], missing.session) };
  return null;
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
    const missing: MissingReads = { ls: await h.call('ls.get', [CONTROL_KEY]), session: await h.call('session.get', [CONTROL_KEY, CONTROL_KEY]) };
    // Anything else on a fresh store was left there: nothing after it can be judged.
    const tolerated: Tolerated = { ls: false, session: false };
    const fresh = await mismatchReadingThrough(h, emptyState, touched, missing, tolerated);
    if (fresh) return { step: 0, requirement: 'OPEN-FRESH-EMPTY', what: `on a freshly opened store, ${readLine(fresh)}`, tolerate: { kind: 'leftovers' } };
    let state = emptyState;
    for (const [i, op] of ops.entries()) {
      const expected = step(state, op);
      const actual = await h.apply(op);
      const at = `at step ${i + 1}, ${formatOp(op)}`;
      const { namespace, result } = OPERATIONS[op.op];
      if (!outputsEqual(expected.output, actual) && !(result === 'value' && agreesIn(namespace, tolerated, expected.output, actual, missing[namespace]))) {
        const requirement = outputRule(op, expected.output);
        const tolerate: Avoid | undefined = expected.output === null && typeof actual === 'string' && (namespace === 'ls' || namespace === 'session') ? { kind: 'missing', namespaces: [namespace], reads: actual } : undefined;
        return { step: i + 1, op, requirement, what: `${at} ${formatMismatch(actual, expected.output)}`, ...(tolerate ? { tolerate } : {}) };
      }
      if (OPERATIONS[op.op].mutates) {
        const m = await mismatchReadingThrough(h, expected.state, touched, missing, tolerated);
        if (m) {
          const changed = keyChanged(op, m);
          const tolerate: Avoid | undefined = listsTwice(m) ? { kind: 'keys-duplicates' } : changed ? { kind: 'class', name: changed } : undefined;
          return { step: i + 1, op, ...(await unlessPlainFails(h, op, named(effectRule(op, m, state)))), what: `${at}: then ${readLine(m)}`, ...(tolerate ? { tolerate } : {}) };
        }
      }
      state = expected.state;
    }
    return missingDivergence(missing, tolerated);
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
  if (d === null || d.requirement === requirement || d.alsoBreaks?.includes(requirement) || d.requirement === 'SEQ-MODEL') return null;
  // What the check's next attempt steps around (conformance/avoid.ts).
  const a = currentAvoidance();
  if (a) a.divergence = { requirement: d.requirement, ...(d.op ? { op: d.op } : {}), ...(d.tolerate ? { tolerate: d.tolerate } : {}) };
  return d;
}

/**
 * For checks that read a store outside a harness (concurrent clients): a never-written key or pair that reads as a
 * string is LS-GET-MISSING's (or SES-GET-MISSING's) defect, reported under it; the check's next attempt reads through it.
 */
export async function failOnMissingReads(h: Harness): Promise<void> {
  const missing: MissingReads = { ls: await h.call('ls.get', [CONTROL_KEY]), session: await h.call('session.get', [CONTROL_KEY, CONTROL_KEY]) };
  const d = missingDivergence(missing, { ls: missing.ls !== null, session: missing.session !== null });
  if (!d) return;
  const a = currentAvoidance();
  if (a) a.divergence = { requirement: d.requirement, ...(d.tolerate ? { tolerate: d.tolerate } : {}) };
  throw new CheckFailure(d.requirement, `${d.what} (seen before the concurrent clients ran: every read of an absent key would disagree with the model)`);
}
