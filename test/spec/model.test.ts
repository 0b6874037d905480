// The model is the oracle: pin its semantics with examples and properties of its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coerce, convertCall, emptyState, fingerprint, formatOp, outputsEqual, run, step, type Op } from '../../spec/model.js';
import { opsArb } from '../../conformance/arbitraries.js';

describe('spec/model.ts', () => {
  it('missing keys read as null; "" is a value', () => {
    const { outputs } = run([{ op: 'ls.get', key: 'a' }, { op: 'ls.set', key: 'a', value: '' }, { op: 'ls.get', key: 'a' }, { op: 'ls.keys' }]);
    expect(outputs).toEqual([null, undefined, '', ['a']]);
  });

  it('sessions are keyed by the (id, key) pair, not a composite string', () => {
    const { outputs } = run([
      { op: 'session.set', id: 'a:b', key: 'c', value: '1' },
      { op: 'session.get', id: 'a', key: 'b:c' },
      { op: 'session.clear', id: 'a' },
      { op: 'session.get', id: 'a:b', key: 'c' },
    ]);
    expect(outputs).toEqual([undefined, null, undefined, '1']);
  });

  it('ls.clear leaves sessions and session.clear leaves ls', () => {
    const { state } = run([
      { op: 'ls.set', key: 'k', value: 'v' },
      { op: 'session.set', id: 'k', key: 'k', value: 's' },
      { op: 'ls.clear' },
    ]);
    expect(state.ls.size).toBe(0);
    expect(state.sessions.get('k')?.get('k')).toBe('s');
    const after = step(state, { op: 'session.clear', id: 'k' }).state;
    expect(after.sessions.size).toBe(0);
  });

  it('step is pure: the input state is never mutated', () => {
    fc.assert(
      fc.property(opsArb(20), opsArb(5), (prefix, more) => {
        const { state } = run(prefix);
        const before = fingerprint(state);
        run(more, state);
        expect(fingerprint(state)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('removing an absent key or deleting an absent pair returns the same state', () => {
    fc.assert(
      fc.property(opsArb(10), fc.string(), (ops, k) => {
        const { state } = run([...ops, { op: 'ls.remove', key: k }]);
        expect(step(state, { op: 'ls.remove', key: k }).state).toBe(state);
        const s2 = run([{ op: 'session.delete', id: k, key: k }], state).state;
        expect(step(s2, { op: 'session.delete', id: k, key: k }).state).toBe(s2);
      }),
    );
  });

  it('keys compare as sets: order is free, duplicates are not', () => {
    expect(outputsEqual(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(outputsEqual(['a', 'b'], ['a', 'a'])).toBe(false);
    expect(outputsEqual(['a'], ['a', 'a'])).toBe(false);
    expect(outputsEqual(null, undefined)).toBe(false);
    expect(outputsEqual(null, '')).toBe(false);
    expect(outputsEqual(undefined, 'anything')).toBe(true);
  });

  it('coerce is String() except Symbols and throwing conversions', () => {
    expect(coerce(1)).toEqual({ ok: true, value: '1' });
    expect(coerce(null)).toEqual({ ok: true, value: 'null' });
    expect(coerce(undefined)).toEqual({ ok: true, value: 'undefined' });
    expect(coerce(Symbol('x')).ok).toBe(false);
    expect(coerce({ toString: () => { throw new Error('no'); } }).ok).toBe(false);
    expect(coerce(Object.create(null)).ok).toBe(false);
  });

  it('convertCall names the rejected argument', () => {
    expect(convertCall({ op: 'session.set', args: ['id', Symbol('k'), 'v'] })).toMatchObject({ ok: false, argument: 'key' });
    expect(convertCall({ op: 'ls.set', args: [1, true] })).toEqual({ ok: true, op: { op: 'ls.set', key: '1', value: 'true' } });
  });

  it('formatOp quotes every string readably, lone surrogates and NUL included', () => {
    const o: Op = { op: 'session.set', id: '\uD800', key: '\0', value: 'x' };
    expect(formatOp(o)).toBe('session.set("\\ud800", "\\u0000", "x")');
    expect(emptyState.ls.size).toBe(0);
  });
});
