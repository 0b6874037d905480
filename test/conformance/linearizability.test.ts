import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizability, renderTimeline, UNKNOWN, type Model, type Operation } from '../../conformance/linearizability/checker.js';
import { type Op, type Output, step, emptyState, type State } from '../../spec/model.js';
import { checkStorageHistory, renderStorageFailure, storageModel, storageModelWhole, type StorageOperation } from '../../conformance/linearizability/storage.js';

// A single register holding a number, initially 0 (the classic examples).
type RegIn = { kind: 'write'; value: number } | { kind: 'read' };
const register: Model<number, RegIn, number> = {
  init: () => 0,
  step: (state, input, output) =>
    input.kind === 'write' ? { ok: true, state: input.value } : { ok: output === UNKNOWN || output === state, state },
  fingerprint: (s) => String(s),
  describe: (i, o) => (i.kind === 'write' ? `write(${i.value})` : `read() -> ${o === UNKNOWN ? '?' : o}`),
};
const w = (client: number, value: number, call: number, ret?: number): Operation<RegIn, number> => ({ client, input: { kind: 'write', value }, call, ret });
const r = (client: number, output: number, call: number, ret?: number): Operation<RegIn, number> => ({ client, input: { kind: 'read' }, output, call, ret });

describe('register histories (Porcupine / Herlihy–Wing examples)', () => {
  it('accepts overlapping reads that see the old and the new value', () => {
    // Porcupine's TestRegisterModel, first history.
    expect(checkLinearizability(register, [w(0, 100, 0, 100), r(1, 100, 25, 75), r(2, 0, 30, 60)]).verdict).toBe('linearizable');
  });

  it('rejects a read of the old value after another read returned the new one', () => {
    // Porcupine's TestRegisterModel, second history.
    const res = checkLinearizability(register, [w(0, 200, 0, 100), r(1, 200, 10, 30), r(2, 0, 40, 90)]);
    expect(res.verdict).toBe('not-linearizable');
  });

  it('rejects a stale read after a completed write', () => {
    expect(checkLinearizability(register, [w(0, 1, 0, 1), r(1, 0, 2, 3)]).verdict).toBe('not-linearizable');
  });

  it('rejects a read of a value nobody wrote', () => {
    expect(checkLinearizability(register, [w(0, 1, 0, 10), r(1, 7, 2, 3)]).verdict).toBe('not-linearizable');
  });

  it('accepts sequential histories and the empty history', () => {
    expect(checkLinearizability(register, []).verdict).toBe('linearizable');
    expect(checkLinearizability(register, [w(0, 1, 0, 1), r(0, 1, 2, 3), w(1, 2, 4, 5), r(0, 2, 6, 7)]).verdict).toBe('linearizable');
  });

  it('refuses a return before its call', () => {
    expect(() => checkLinearizability(register, [w(0, 1, 5, 4)])).toThrow(RangeError);
  });
});

describe('pending operations (never returned)', () => {
  it('may take effect any time after their call', () => {
    expect(checkLinearizability(register, [w(0, 1, 0), r(1, 0, 1, 2), r(1, 1, 3, 4)]).verdict).toBe('linearizable');
  });

  it('may never take effect', () => {
    expect(checkLinearizability(register, [w(0, 1, 0), r(1, 0, 100, 101)]).verdict).toBe('linearizable');
  });

  it('cannot take effect before their call', () => {
    expect(checkLinearizability(register, [r(1, 1, 0, 1), w(0, 1, 5)]).verdict).toBe('not-linearizable');
  });

  it('take effect at most once, at one point', () => {
    // Seen, then unseen, then seen again: one linearization point cannot explain it.
    const h = [w(0, 1, 0), w(2, 2, 0, 1), r(1, 1, 2, 3), r(1, 2, 4, 5), r(1, 1, 6, 7)];
    expect(checkLinearizability(register, h).verdict).toBe('not-linearizable');
  });

  it('have an unconstrained output', () => {
    expect(checkLinearizability(register, [r(0, 99, 0), w(1, 1, 1, 2)]).verdict).toBe('linearizable');
  });
});

describe('failures', () => {
  it('report a small witness with its longest linearizable prefix, rendered as a timeline', () => {
    const noise = Array.from({ length: 20 }, (_, i) => w(2, 100 + i, 10 * i, 10 * i + 5));
    const h = [...noise, w(0, 1, 300, 301), r(1, 1, 302, 303), r(1, 0, 304, 305)];
    const res = checkLinearizability(register, h);
    expect(res.verdict).toBe('not-linearizable');
    if (res.verdict !== 'not-linearizable') return;
    const witness = res.partial.history;
    expect(witness.length).toBeLessThanOrEqual(3);
    expect(witness).toContainEqual(r(1, 0, 304, 305));
    expect(res.partial.omitted).toBe(h.length - witness.length);
    // The witness fails by itself.
    expect(checkLinearizability(register, witness).verdict).toBe('not-linearizable');
    const text = renderTimeline(register, witness, res.partial.longestPrefix, { clientName: (c) => `isolate ${c}` });
    expect(text).toContain('isolate 1');
    expect(text).toContain('[304..305]');
    expect(text).toContain('read() -> 0');
  });

  it('shows pending operations as open bars', () => {
    const text = renderTimeline(register, [w(0, 1, 0), r(1, 1, 1, 2)]);
    expect(text).toContain('never returned');
    expect(text).toContain('[0..]');
  });
});

describe('the budget', () => {
  // Many fully concurrent writes to distinct keys and an impossible ls.keys: the search must try
  // every subset of the writes before it can say no.
  const n = 22;
  const h: StorageOperation[] = [
    ...Array.from({ length: n }, (_, i): StorageOperation => ({ client: i, input: { op: 'ls.set', key: `k${i}`, value: 'v' }, call: 0, ret: 100 })),
    { client: n, input: { op: 'ls.keys' }, output: ['nope'], call: 0, ret: 100 },
  ];

  it('returns unknown when the step budget runs out', () => {
    const res = checkStorageHistory(h, { maxSteps: 20_000 });
    expect(res.verdict).toBe('unknown');
    if (res.verdict === 'unknown') expect(res.reason).toMatch(/step budget/);
  });

  it('returns unknown when the time budget runs out', () => {
    const res = checkStorageHistory(h, { maxSteps: Number.MAX_SAFE_INTEGER, timeoutMs: 50 });
    expect(res.verdict).toBe('unknown');
    if (res.verdict === 'unknown') expect(res.reason).toMatch(/time budget/);
  });
});

// Random concurrent executions of a correct (atomic) store: each operation takes effect at a random
// moment between its call and its return.
const KEYS = ['a', 'b'];
const IDS = ['s', 't'];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('ls.get' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('ls.set' as const), key: fc.constantFrom(...KEYS), value: fc.constantFrom('1', '2', '3') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('ls.remove' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'ls.clear' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'ls.keys' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('session.get' as const), id: fc.constantFrom(...IDS), key: fc.constantFrom(...KEYS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('session.set' as const), id: fc.constantFrom(...IDS), key: fc.constantFrom(...KEYS), value: fc.constantFrom('1', '2') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.delete' as const), id: fc.constantFrom(...IDS), key: fc.constantFrom(...KEYS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.clear' as const), id: fc.constantFrom(...IDS) }) },
);

/** Simulate clients running their programs against an atomic store, with a scheduler driven by `choices`. */
function execute(programs: Op[][], choices: number[]): StorageOperation[] {
  let state: State = emptyState;
  let time = 0;
  let c = 0;
  const next = () => choices[c++ % choices.length]!;
  const pc = programs.map(() => 0);
  const inFlight: ({ op: Op; call: number; output?: Output; done: boolean } | null)[] = programs.map(() => null);
  const history: StorageOperation[] = [];
  for (;;) {
    // Each client can: call its next op, make its in-flight op take effect, or return it.
    const moves = programs.flatMap((p, i) => (inFlight[i] === null ? (pc[i]! < p.length ? [i] : []) : [i]));
    if (moves.length === 0) return history;
    const i = moves[next() % moves.length]!;
    const f = inFlight[i];
    if (f === null) inFlight[i] = { op: programs[i]![pc[i]!++]!, call: time++, done: false };
    else if (!f!.done) {
      const s = step(state, f!.op);
      state = s.state;
      f!.output = s.output;
      f!.done = true;
    } else {
      history.push({ client: i, input: f!.op, output: f!.output, call: f!.call, ret: time++ });
      inFlight[i] = null;
    }
  }
}

const executionArb = fc.tuple(fc.array(fc.array(opArb, { maxLength: 10 }), { minLength: 2, maxLength: 3 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }));

describe('random histories of the storage model', () => {
  it('a correct concurrent execution is always linearizable', () => {
    fc.assert(
      fc.property(executionArb, ([programs, choices]) => {
        const res = checkStorageHistory(execute(programs, choices));
        expect(res.verdict).toBe('linearizable');
      }),
      { numRuns: 300 },
    );
  });

  it('changing a returned value to one never written makes it non-linearizable, with a failing witness', () => {
    fc.assert(
      fc.property(executionArb, fc.nat(), ([programs, choices], pick) => {
        const history = execute(programs, choices);
        const reads = history.map((o, i) => [o, i] as const).filter(([o]) => o.input.op === 'ls.get' || o.input.op === 'session.get' || o.input.op === 'ls.keys');
        fc.pre(reads.length > 0);
        const [o, i] = reads[pick % reads.length]!;
        const mutated = [...history];
        mutated[i] = { ...o, output: o.input.op === 'ls.keys' ? [...(o.output as string[]), 'never-written'] : 'never-written' };
        const res = checkStorageHistory(mutated);
        expect(res.verdict).toBe('not-linearizable');
        if (res.verdict !== 'not-linearizable') return;
        expect(res.partial.history).toContain(mutated[i]);
        expect(checkStorageHistory(res.partial.history).verdict).toBe('not-linearizable');
        expect(renderStorageFailure(res)).toContain('never-written');
      }),
      { numRuns: 200 },
    );
  });

  it('partitioning gives the same verdict as checking the whole history', () => {
    fc.assert(
      fc.property(executionArb, fc.nat(), fc.boolean(), ([programs, choices], pick, mutate) => {
        const history = execute(programs, choices);
        if (mutate && history.length > 0) {
          // Swap in another value that was written somewhere: sometimes still linearizable, sometimes not.
          const i = pick % history.length;
          const o = history[i]!;
          if (o.input.op === 'ls.get' || o.input.op === 'session.get') history[i] = { ...o, output: o.output === null ? '1' : null };
        }
        const split = checkLinearizability(storageModel, history).verdict;
        const whole = checkLinearizability(storageModelWhole, history).verdict;
        expect(split).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });
});
