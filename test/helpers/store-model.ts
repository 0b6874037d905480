/**
 * Model-based checks shared by the store tests: random operation sequences over adversarial
 * strings, run against one or more handles of a store and against spec/model.ts.
 */
import fc from 'fast-check';
import type { Storage } from '../../spec/contract.js';
import { formatOp, formatOutput, opArgs, outputsEqual, sortKeys, step, type Op, type State } from '../../spec/model.js';
import { callOp } from '../../conformance/harness.js';

/** Strings that break naive stores: NUL, lone surrogates, astral, prototype names, separators, "", key-layout look-alikes. */
export const NASTY = ['', '\u0000', 'a\u0000b', '\uD800', '\uDC00', 'x\uDBFF', '😀', '\uD83D', '__proto__', 'constructor', ':', 'a:b', 'a', 'b', 'A', 'ls', 's:', 's:ls', 'e\u0301', 'é'];

/** Mostly a small pool (so keys collide), sometimes any UTF-16 code units. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 6 }) },
);

const id = nastyString;
const key = nastyString;
const value = fc.oneof(nastyString, fc.string({ maxLength: 20 }));

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('ls.get' as const), key }),
  fc.record({ op: fc.constant('ls.set' as const), key, value }),
  fc.record({ op: fc.constant('ls.remove' as const), key }),
  fc.constant({ op: 'ls.clear' as const }),
  fc.constant({ op: 'ls.keys' as const }),
  fc.record({ op: fc.constant('session.get' as const), id, key }),
  fc.record({ op: fc.constant('session.set' as const), id, key, value }),
  fc.record({ op: fc.constant('session.set' as const), id, key, value }),
  fc.record({ op: fc.constant('session.delete' as const), id, key }),
  fc.record({ op: fc.constant('session.clear' as const), id }),
);

/** Apply a model operation to a store, unchecked. */
export async function apply(s: Storage, o: Op): Promise<unknown> {
  return await callOp(s, o.op, opArgs(o));
}

/**
 * Run `ops` in order, op i on `handles[pick[i] % handles.length]`, each awaited before the next;
 * throw on the first output that differs from the model. Returns the model's final state.
 */
export async function runAgainstModel(handles: readonly Storage[], ops: readonly Op[], from: State, pick: readonly number[] = []): Promise<State> {
  let state = from;
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    const r = step(state, o);
    const actual = await apply(handles[(pick[i] ?? 0) % handles.length]!, o);
    if (!outputsEqual(r.output, actual)) {
      throw new Error(`op ${i} ${formatOp(o)}: expected ${formatOutput(r.output)}, got ${formatOutput(actual)}\nhistory:\n${ops.slice(0, i + 1).map(formatOp).join('\n')}`);
    }
    state = r.state;
  }
  return state;
}

/** Read back the whole state through `s` and throw if it differs from `expected` (sessions are probed at every id/key in `probe`). */
export async function expectState(s: Storage, expected: State, probe: readonly Op[]): Promise<void> {
  const keys = sortKeys(await s.ls.keys());
  const want = sortKeys([...expected.ls.keys()]);
  if (JSON.stringify(keys) !== JSON.stringify(want)) throw new Error(`ls.keys: expected ${formatOutput(want)}, got ${formatOutput(keys)}`);
  for (const k of want) {
    const v = await s.ls.get(k);
    if (v !== expected.ls.get(k)) throw new Error(`ls.get(${formatOutput(k)}): expected ${formatOutput(expected.ls.get(k))}, got ${formatOutput(v)}`);
  }
  const pairs = new Map<string, [string, string]>();
  for (const o of probe) if ('id' in o && 'key' in o) pairs.set(JSON.stringify([o.id, o.key]), [o.id, o.key]);
  for (const [sid, entries] of expected.sessions) for (const k of entries.keys()) pairs.set(JSON.stringify([sid, k]), [sid, k]);
  for (const [sid, k] of pairs.values()) {
    const v = await s.session.get(sid, k);
    const e = expected.sessions.get(sid)?.get(k) ?? null;
    if (v !== e) throw new Error(`session.get(${formatOutput(sid)}, ${formatOutput(k)}): expected ${formatOutput(e)}, got ${formatOutput(v)}`);
  }
}

/** A value whose String() conversion throws. */
export const throwingToString = { toString: () => { throw new Error('no string for you'); } };
