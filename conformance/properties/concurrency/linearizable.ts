/** LIN-LINEARIZABLE: concurrent programs in several isolates give a linearizable history. */
import { linearizabilityWitness, type Witness } from '../../report/witness.js';
import fc from 'fast-check';
import { type Check } from '../../check.js';
import { IsolateFailure } from '../../isolates/pool.js';
import { Mismatch } from '../../property.js';
import { type Op } from '../../../spec/model.js';
import { checkStorageHistory, renderStorageFailure } from '../../linearizability/storage.js';
import { needsModulePath, LS_KEYS, SESSION_KEYS, Planned, mixedArb, clearRaceArb, sessionRaceArb, materialize, showOps, startPool, openFresh, crossIsolateProperty } from './isolates.js';

const LIN_ISOLATES = 3;
const EXECUTIONS_PER_RUN = 3;

interface Scenario {
  /** Fill every key first (from isolate 0, before the others start), so clears have work to do. */
  readonly preload: boolean;
  readonly programs: readonly (readonly Planned[])[];
  /** Seeds the spin before each operation, to vary the interleaving. */
  readonly jitter: number;
}

const PRELOAD: Op[] = [
  ...[...LS_KEYS, 'd', 'e', 'f'].map((key): Op => ({ op: 'ls.set', key, value: `preload:${key}` })),
  ...SESSION_KEYS.map((key): Op => ({ op: 'session.set', id: 's1', key, value: `preload:${key}` })),
];

const programsOf = (op: fc.Arbitrary<Planned>) => fc.array(fc.array(op, { minLength: 1, maxLength: 25 }), { minLength: 2, maxLength: LIN_ISOLATES });

/** Every isolate draws from the same mix: everything, the clear race, or the session race. */
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  preload: fc.boolean(),
  programs: fc.oneof({ weight: 2, arbitrary: programsOf(mixedArb) }, { weight: 1, arbitrary: programsOf(clearRaceArb) }, { weight: 1, arbitrary: programsOf(sessionRaceArb) }),
  jitter: fc.nat(),
});

/** Spin counts (0 to ~2 µs) from a seed: a small linear congruential generator. */
function delaysFor(jitter: number, programs: readonly (readonly unknown[])[]): number[][] {
  let x = jitter >>> 0 || 1;
  return programs.map((p) =>
    p.map(() => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 16) % 3 === 0 ? (x >>> 8) % 2000 : 0;
    }),
  );
}

export const linearizable: Check = {
  id: 'LIN-LINEARIZABLE/property',
  requirement: 'LIN-LINEARIZABLE',
  title: 'operations run concurrently by several isolates are linearizable',
  skip: needsModulePath,
  async run(ctx) {
    const pool = await startPool(ctx, LIN_ISOLATES);
    let lastFailure: string | undefined;
    let lastWitness: Witness | undefined;
    await crossIsolateProperty(
      ctx,
      'LIN-LINEARIZABLE',
      scenarioArb,
      async ({ preload, programs, jitter }) => {
        // Interleavings vary from one execution to the next: run each scenario a few times.
        for (let attempt = 0; attempt < EXECUTIONS_PER_RUN; attempt++) {
          await openFresh(ctx, pool);
          const setup = preload ? PRELOAD : [];
          await pool.run(0, setup);
          const ops = programs.map((p, k) => p.map((o, i) => materialize(o, k, i)));
          const run = await pool.runConcurrently(ops, { delays: delaysFor(jitter + attempt, ops) });
          if (run.broken !== undefined) throw new IsolateFailure(run.broken);
          if (run.errors.length > 0) {
            lastFailure = undefined;
            lastWitness = undefined;
            throw new Mismatch(run.errors[0]!.message);
          }
          // The preload returned before the shared clock started: give it earlier ticks.
          run.history.unshift(...setup.map((input, i) => ({ client: 0, input, output: undefined, call: 2 * (i - setup.length), ret: 2 * (i - setup.length) + 1 })));
          const result = checkStorageHistory(run.history, { maxSteps: 1_000_000, timeoutMs: 3_000 });
          if (result.verdict === 'not-linearizable') {
            lastFailure = renderStorageFailure(result);
            lastWitness = linearizabilityWitness(result, (c) => `isolate ${c}`, run.history);
            throw new Mismatch(`the operations of ${ops.length} isolates have no linearization consistent with the sequential model (${result.partial.history.length}-operation witness below)`);
          }
        }
      },
      {
        runs: ctx.options.runs,
        timeLimitMs: 8_000,
        retriesWhileShrinking: 2,
        show: ({ preload, programs }) => (preload ? `  isolate 0 first runs:\n${showOps(PRELOAD)}\n` : '') + programs.map((p, k) => `  isolate ${k} runs:\n${showOps(p.map((o, i) => materialize(o, k, i)))}`).join('\n'),
      },
      () => lastFailure,
      () => lastWitness,
    );
  },
};
