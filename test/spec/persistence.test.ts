// The persistence declaration (spec/persistence.ts) and LOSS-BOUNDED's judgement of one crash (conformance/loss-window.ts).
import { describe, expect, it } from 'vitest';
import { describePersistence, persistencePromise, persistenceProblem, unlessKind, unlessSurvives } from '../../spec/persistence.js';
import { implementationProblem } from '../../spec/contract.js';
import { emptyState, type Op } from '../../spec/model.js';
import { judgeCrash } from '../../conformance/loss-window.js';

const bounded = { kind: 'bounded' as const, windowMs: 100, survives: ['sigkill' as const] };

describe('the persistence declaration', () => {
  it('durable is the zero window surviving everything; volatile keeps nothing; bounded always covers a restart', () => {
    expect(persistencePromise('durable')).toEqual({ kind: 'durable', windowMs: 0, survives: new Set(['restart', 'sigkill', 'powerloss']) });
    expect(persistencePromise('volatile').windowMs).toBe(Infinity);
    expect([...persistencePromise(bounded).survives]).toEqual(['restart', 'sigkill']);
    expect(describePersistence(bounded)).toBe('bounded (100 ms; restart, sigkill)');
  });

  it('keeps the skip reasons of spec 2 for volatile and durable stores', () => {
    expect(unlessKind('volatile', 'durable')).toBe('declared persistence is "volatile"');
    expect(unlessKind('durable', 'volatile')).toBe('declared persistence is "durable"');
    expect(unlessKind(bounded, 'bounded')).toBeNull();
    expect(unlessSurvives(bounded, 'powerloss')).toMatch(/does not cover power loss \(opt-in/);
    expect(unlessSurvives('durable', 'sigkill')).toBe('declared persistence is "durable"');
  });

  it('refuses a malformed declaration with a clear message', () => {
    expect(persistenceProblem({ kind: 'bounded', windowMs: -1, survives: [] })).toMatch(/windowMs must be a finite number/);
    expect(persistenceProblem({ kind: 'bounded', windowMs: 5, survives: ['flood'] })).toMatch(/survives must be an array of "restart", "sigkill", "powerloss"/);
    expect(persistenceProblem('sometimes')).toMatch(/must be "volatile", "durable" or \{ kind: "bounded"/);
    expect(implementationProblem({ name: 'x', open: () => ({}), capabilities: { persistence: bounded, sharing: 'isolate' } })).toBeNull();
  });
});

describe('judging one crash (LOSS-BOUNDED)', () => {
  const ops: Op[] = [
    { op: 'ls.set', key: 'a', value: '#0|' },
    { op: 'ls.set', key: 'b', value: '#1|' },
    { op: 'ls.remove', key: 'a' },
    { op: 'ls.set', key: 'c', value: '#3|' },
  ];
  const ackAt = [10, 20, 30, 40];
  const state = (ls: [string, string][]) => ({ ls: new Map(ls), sessions: new Map() });

  it('a lost suffix: the prefix it kept and the age of the oldest lost acknowledged write', () => {
    expect(judgeCrash(emptyState, ops, ackAt, 100, state([['a', '#0|'], ['b', '#1|']]), (i) => i)).toEqual({ prefix: 2, lost: 2, lostAgeMs: 70 });
    expect(judgeCrash(emptyState, ops, ackAt, 100, state([['b', '#1|'], ['c', '#3|']]), (i) => i)).toEqual({ prefix: 4, lost: 0, lostAgeMs: 0 });
  });

  it('the unacknowledged operation in flight may be there or not', () => {
    expect(judgeCrash(emptyState, ops, ackAt.slice(0, 3), 100, state([['b', '#1|'], ['c', '#3|']]), (i) => i).lost).toBe(0);
  });

  it('a hole (a later write kept, an earlier removal lost) is no prefix, and says which', () => {
    const v = judgeCrash(emptyState, ops, ackAt, 100, state([['a', '#0|'], ['b', '#1|'], ['c', '#3|']]), (i) => i);
    expect(v.prefix).toBeNull();
    expect(v.hole).toMatch(/holds the value of operation #3 .* ls\.get\("a"\) = the value of operation #0, expected null/);
  });
});
