/**
 * LOSS-BOUNDED's judgement of one crash, shared by the SIGKILL check and the power-loss one: is
 * the recovered state the state after some prefix of the operations sent (no hole, no torn value,
 * no reordering), and how old was the oldest acknowledged operation it lost?
 */
import { fingerprint, formatOp, quote, step, type Op, type State } from '../spec/model.js';

/** The workload's values start with "#n|": n says which operation wrote them. */
export function writer(v: string): number | null {
  const m = /^#(\d+)\|/.exec(v);
  return m ? Number(m[1]) : null;
}

export interface CrashVerdict {
  /** How many of `ops` the recovered state holds (the longest matching prefix), or null when it is no prefix. */
  readonly prefix: number | null;
  /** Acknowledged operations lost (acked and beyond the prefix). */
  readonly lost: number;
  /** Age at the crash of the oldest lost acknowledged operation (0 when none was lost). */
  readonly lostAgeMs: number;
  /** Why the state is no prefix, when it is none. */
  readonly hole?: string;
}

function values(s: State): [string, string][] {
  return [...[...s.ls].map(([k, v]): [string, string] => [`ls.get(${quote(k)})`, v]), ...[...s.sessions].flatMap(([id, m]) => [...m].map(([k, v]): [string, string] => [`session.get(${quote(id)}, ${quote(k)})`, v]))];
}

/** The first entry on which two states differ, as one line. */
function difference(observed: State, want: State): string {
  const got = new Map(values(observed));
  const expected = new Map(values(want));
  for (const key of new Set([...expected.keys(), ...got.keys()])) {
    if (got.get(key) !== expected.get(key)) return `${key} = ${show(got.get(key))}, expected ${show(expected.get(key))}`;
  }
  return 'the states differ';
}

function show(v: string | undefined): string {
  if (v === undefined) return 'null';
  const n = writer(v);
  return n === null ? quote(v) : `the value of operation #${n}`;
}

/**
 * Judge a recovered state: `ops` were sent in order from `base` (the last `ops.length - ackAt.length`
 * of them unacknowledged), `ackAt[i]` is when operation i was acknowledged, `crashAt` when the crash came
 * (same clock). `number(op)` is the "#n" its value carries, for the report.
 */
export function judgeCrash(base: State, ops: readonly Op[], ackAt: readonly number[], crashAt: number, observed: State, number: (i: number) => number): CrashVerdict {
  const got = fingerprint(observed);
  let state = base;
  let prefix: number | null = got === fingerprint(base) ? 0 : null;
  const states = [base];
  for (let i = 0; i < ops.length; i++) {
    state = step(state, ops[i]!).state;
    states.push(state);
    if (fingerprint(state) === got) prefix = i + 1;
  }
  if (prefix === null) {
    // The latest operation whose value is there: everything before it should be there too.
    const seen = values(observed).map(([, v]) => writer(v)).filter((n): n is number => n !== null);
    const latest = ops.findIndex((_, i) => number(i) === Math.max(...seen));
    const upTo = latest >= 0 ? latest + 1 : ops.length;
    const hole = `it holds ${latest >= 0 ? `the value of operation #${number(latest)} ${formatOp(ops[latest]!).slice(0, 60)}` : 'values no operation wrote'} but not the state after the operations before it: ${difference(observed, states[upTo]!)}`;
    return { prefix: null, lost: 0, lostAgeMs: 0, hole };
  }
  const lost = Math.max(0, ackAt.length - prefix);
  return { prefix, lost, lostAgeMs: lost ? crashAt - ackAt[prefix]! : 0 };
}

/** "observed window 42 ms" or "nothing lost" for a report line. */
export function showWindow(ms: number, lost: number): string {
  return lost === 0 ? 'observed window 0 ms (no acknowledged write lost)' : `observed window ${ms.toFixed(0)} ms (${lost} acknowledged writes lost in all)`;
}
