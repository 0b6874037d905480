/**
 * The runner's side of faults, without a deployment: a seed fixes the fault schedule, and an
 * indeterminate operation (Jepsen's :info, recorded without a return) is possibly applied at any
 * time after its call, or never, for the linearizability checker.
 */
import { describe, expect, it } from 'vitest';
import { faultSchedule } from '../../conformance/nemesis/schedule.js';
import { checkStorageHistory, type StorageOperation } from '../../conformance/linearizability/storage.js';
import { describeFaultRun, lostWritesText } from '../../conformance/nemesis/describe.js';

describe('fault schedule', () => {
  it('the same seed gives the same schedule; another seed another one; a partition takes a minority of clients', () => {
    const o = { faults: ['pause', 'isolate', 'kill'] as const, clients: 5 };
    const a = faultSchedule(42, { ...o, faults: [...o.faults] });
    expect(faultSchedule(42, { ...o, faults: [...o.faults] })).toEqual(a);
    const others = [1, 2, 3, 4, 5].map((s) => JSON.stringify(faultSchedule(s, { ...o, faults: [...o.faults] })));
    expect(others.some((x) => x !== JSON.stringify(a))).toBe(true);
    expect(a.map((f) => f.fault)).toEqual(['pause', 'isolate', 'kill']);
    for (const f of a) expect(f.holdMs).toBeGreaterThanOrEqual(5000);
    expect(a[1]!.clients).toHaveLength(2);
    expect(a[0]!.clients).toEqual([]);
  });
});

describe('indeterminate operations', () => {
  const write = (ret?: number): StorageOperation => ({ client: 0, input: { op: 'ls.set', key: 'r', value: 'x' }, call: 0, ...(ret === undefined ? {} : { ret }) });
  const read = (value: string | null, call: number): StorageOperation => ({ client: 1, input: { op: 'ls.get', key: 'r' }, output: value, call, ret: call + 1 });

  it('may have taken effect: a later read of its value is linearizable', () => {
    expect(checkStorageHistory([write(), read('x', 10)]).verdict).toBe('linearizable');
  });
  it('may not have: a later read of nothing is linearizable too', () => {
    expect(checkStorageHistory([write(), read(null, 10)]).verdict).toBe('linearizable');
  });
  it('but once it was seen it cannot be unseen: x, then nothing, is not linearizable', () => {
    expect(checkStorageHistory([write(), read('x', 10), read(null, 20)]).verdict).toBe('not-linearizable');
  });
  it('an acknowledged write must be there: nothing after its return is not linearizable', () => {
    expect(checkStorageHistory([write(5), read(null, 10)]).verdict).toBe('not-linearizable');
  });
});

describe('describing a fault run', () => {
  it('names the lost writes, the faults, their failover and convergence times', () => {
    const lost = [{ key: 'w:1:3', value: '1.3', client: 1, ackedAt: 2500 }];
    expect(lostWritesText(lost)).toBe('"w:1:3" = "1.3" (client 1, acknowledged at 2.5 s)');
    const text = describeFaultRun({
      seed: 7,
      schedule: [],
      windows: [{ fault: 'isolate', node: 'n1', clients: [0], injectedAt: 1000, healedAt: 7000, failoverMs: 2400, ops: { ok: 5, failed: 3, info: 2 }, convergeMs: 15000 }],
      writes: { acknowledged: 10, failed: 1, indeterminate: 2, indeterminateKept: 1, lost },
      history: [],
      lin: { verdict: 'linearizable', ok: true, steps: 1 },
      durationMs: 30000,
    });
    expect(text).toContain('10 acknowledged unique writes, 1 lost (10.0%), 2 indeterminate (1 of them kept), 1 failed');
    expect(text).toContain('partition of the primary n1 with client 0 for 6.0 s: failover after 2.4 s; of 10 operations called meanwhile 3 failed and 2 were indeterminate; converged 15.0 s after heal');
  });
});
