// spec/operations.ts is the one list of operations. Adding an operation to it alone must make every
// layer that handles operations fail: at compile time (exhaustive Records and switches, the
// assertion below) and here at run time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../spec/contract.js';
import { emptyState, formatOp, isMutation, step, type Op } from '../../spec/model.js';
import { OPERATIONS, OP_NAMES, resultHasKind, type OpName } from '../../spec/operations.js';
import { opArb, opOfArb } from '../../conformance/arbitraries.js';
import { OP_ARITY } from '../../conformance/driver/protocol.js';
import { callOp } from '../../conformance/harness.js';
import { opBody } from '../../bench/ops.js';
import type { Fixture } from '../../bench/fixture.js';
import { partitionStorageHistory } from '../../conformance/linearizability/storage.js';
import memory from '../../reference/memory.js';

// The contract (spec/contract.ts) declares every method of the table: a new operation without a
// method in LocalStorage/SessionStorage does not compile.
type Spec<N extends OpName> = (typeof OPERATIONS)[N];
type Declared = { [N in OpName]: Spec<N>['method'] extends keyof Storage[Spec<N>['namespace']] ? true : false };
const contractDeclaresEveryOperation: Declared[OpName] extends true ? true : false = true;

const sample = (op: OpName): Op => fc.sample(opOfArb(op), { seed: 1, numRuns: 1 })[0]!;

describe('every operation of spec/operations.ts is handled by every layer', () => {
  it('the contract declares it (compile-time assertion above)', () => {
    expect(contractDeclaresEveryOperation).toBe(true);
  });

  it.each(OP_NAMES)('%s: the model steps it and returns its result kind', (op) => {
    const o = sample(op);
    for (const from of [emptyState, step(emptyState, sample('ls.set')).state, step(emptyState, sample('session.set')).state]) {
      const r = step(from, o);
      expect(r, formatOp(o)).toBeDefined();
      expect(resultHasKind(op, r.output)).toBe(true);
      if (OPERATIONS[op].result === 'none') expect(r.output).toBeUndefined();
    }
    expect(isMutation(o)).toBe(OPERATIONS[op].mutates);
  });

  it.each(OP_NAMES)('%s: a reference store has the method and returns its result kind', async (op) => {
    const storage = await memory.open({ dir: '' });
    const o = sample(op);
    const result = await callOp(storage, op, OPERATIONS[op].args.map((a) => (o as unknown as Record<string, string>)[a]));
    expect(resultHasKind(op, result)).toBe(true);
  });

  it('the checks generate every operation', () => {
    const seen = new Set(fc.sample(opArb, { seed: 1, numRuns: 2000 }).map((o) => o.op));
    expect([...seen].sort()).toEqual([...OP_NAMES].sort());
  });

  it('the driver protocol knows every operation and its arity', () => {
    expect(Object.keys(OP_ARITY).sort()).toEqual([...OP_NAMES].sort());
    for (const op of OP_NAMES) expect(OP_ARITY[op]).toBe(OPERATIONS[op].args.length);
  });

  it('the linearizability checker partitions every operation', () => {
    const history = OP_NAMES.map((op, i) => ({ input: sample(op), output: undefined, call: 2 * i, ret: 2 * i + 1 }));
    const parts = partitionStorageHistory(history as never);
    expect(parts.flat()).toHaveLength(OP_NAMES.length);
  });

  it.each(OP_NAMES)('%s: the benchmark has a batch body for it', (op) => {
    const fake = { data: { keys: 4, sessionIds: ['s'], lsKeys: ['k'], sessionKeys: ['k'] }, storage: undefined } as unknown as Fixture;
    const body = opBody(op, fake);
    expect(typeof body?.begin).toBe('function');
  });
});
