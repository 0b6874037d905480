/** SHARE-VISIBLE: a write that returned in one isolate is seen by reads in another. */
import { SequentialHistory, type Witness } from '../../report/witness.js';
import fc from 'fast-check';
import { type Check } from '../../check.js';
import { Mismatch } from '../../property.js';
import { emptyState, formatOp, formatOutput, outputsEqual, step, type Op, type State } from '../../../spec/model.js';
import { needsModulePath, LS_KEYS, SESSION_KEYS, lsKey, sid, skey, startPool, openFresh, crossIsolateProperty } from './isolates.js';

interface VisibilityStep {
  readonly writer: number;
  readonly reader: number;
  readonly op: Op;
}

export const mutationArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('ls.set' as const), key: lsKey, value: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'v'.repeat(5000))) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('ls.remove' as const), key: lsKey }) },
  { weight: 1, arbitrary: fc.constant({ op: 'ls.clear' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('session.set' as const), id: sid, key: skey, value: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'w'.repeat(5000))) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('session.delete' as const), id: sid, key: skey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.clear' as const), id: sid }) },
);

const VISIBILITY_ISOLATES = 2;

const visibilityArb = fc.array(
  fc.record({ writer: fc.nat(VISIBILITY_ISOLATES - 1), offset: fc.integer({ min: 1, max: VISIBILITY_ISOLATES - 1 }), op: mutationArb }).map(({ writer, offset, op }): VisibilityStep => ({ writer, reader: (writer + offset) % VISIBILITY_ISOLATES, op })),
  { minLength: 1, maxLength: 12 },
);

/** Reads that observe what `o` changed. */
function probesFor(o: Op): Op[] {
  switch (o.op) {
    case 'ls.set':
    case 'ls.remove':
      return [{ op: 'ls.get', key: o.key }, { op: 'ls.keys' }];
    case 'ls.clear':
      return [{ op: 'ls.keys' }, ...LS_KEYS.map((key): Op => ({ op: 'ls.get', key }))];
    case 'session.set':
    case 'session.delete':
      return [{ op: 'session.get', id: o.id, key: o.key }];
    case 'session.clear':
      return SESSION_KEYS.map((key): Op => ({ op: 'session.get', id: o.id, key }));
    default:
      return [];
  }
}

export const shareVisible: Check = {
  id: 'SHARE-VISIBLE/property',
  requirement: 'SHARE-VISIBLE',
  title: 'after a write returns in one isolate, reads in another isolate see it',
  skip: needsModulePath,
  async run(ctx) {
    const pool = await startPool(ctx, VISIBILITY_ISOLATES);
    let lastWitness: Witness | undefined;
    await crossIsolateProperty(
      ctx,
      'SHARE-VISIBLE',
      visibilityArb,
      async (steps) => {
        await openFresh(ctx, pool);
        let state: State = emptyState;
        const history = new SequentialHistory([...Array(VISIBILITY_ISOLATES).keys()].map((k) => `isolate ${k}`));
        for (const s of steps) {
          await pool.run(s.writer, [s.op]);
          history.record(s.writer, s.op);
          state = step(state, s.op).state;
          const probes = probesFor(s.op);
          const outputs = await pool.run(s.reader, probes);
          probes.forEach((p, i) => {
            const expected = step(state, p).output;
            history.record(s.reader, p, outputs[i]);
            if (!outputsEqual(expected, outputs[i])) {
              lastWitness = history.witness(formatOutput(expected));
              throw new Mismatch(`after ${formatOp(s.op)} returned in isolate ${s.writer}, ${formatOp(p)} in isolate ${s.reader} returned ${formatOutput(outputs[i])}; expected ${formatOutput(expected)}`);
            }
          });
        }
      },
      {
        runs: ctx.options.runs,
        timeLimitMs: 8_000,
        retriesWhileShrinking: 2,
        show: (steps) => steps.map((s) => `  isolate ${s.writer}: ${formatOp(s.op)}, then isolate ${s.reader} reads`).join('\n'),
      },
      () => undefined,
      () => lastWitness,
    );
  },
};
