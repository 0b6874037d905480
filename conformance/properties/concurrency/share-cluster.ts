/** SHARE-CLUSTER: two processes opening the same store see one store. */
import fc from 'fast-check';
import { type Check, type CheckContext } from '../../check.js';
import { checkProperty } from '../../property.js';
import { emptyState, formatOp, step, type State } from '../../../spec/model.js';
import { writeOpArb } from '../../arbitraries.js';
import { ProcessBacked, processSkipReason } from '../process-backed.js';
import { applyAll, expectState, Touched } from '../../observe.js';

/** Each run starts two processes (~0.5-1 s each with tsx): keep the run count small. */
const CLUSTER_MAX_RUNS = 6;

/** Two processes open the same dir; each write that returned in one must be read back by the other. */
export const shareCluster: Check = {
  id: 'SHARE-CLUSTER/two-processes',
  requirement: 'SHARE-CLUSTER',
  title: 'two processes opening the same store see one store',
  skip: (_caps, ctx) => processSkipReason(ctx),
  async run(ctx: CheckContext) {
    // Both processes are closed after each run and serve the next: two in all.
    const procs = await ProcessBacked.from(ctx, { processes: 2 });
    const steps = fc.array(fc.tuple(fc.nat({ max: 1 }), writeOpArb), { minLength: 1, maxLength: 12 });
    await checkProperty(
      ctx,
      'SHARE-CLUSTER',
      steps,
      async (plan) => {
        const a = await procs.open();
        const b = await procs.open(a.dir);
        const stores = [a.h, b.h];
        let state: State = emptyState;
        const touched = new Touched();
        try {
          for (const [i, [writer, o]] of plan.entries()) {
            state = await applyAll(stores[writer]!, [o], state, touched);
            await expectState(stores[1 - writer]!, state, touched, `step ${i + 1}: process ${1 - writer}, after process ${writer} did ${formatOp(o)}`);
          }
        } finally {
          await a.storage.close().catch(() => {});
          await b.storage.close().catch(() => {});
        }
      },
      {
        runs: Math.min(ctx.options.runs, CLUSTER_MAX_RUNS),
        noShrink: true,
        whyNotShrunk: 'every attempt starts two processes; the first failing run is shown',
        show: (plan) => plan.map(([w, o], i) => `${String(i + 1).padStart(3)}. process ${w}: ${formatOp(o)}; then process ${1 - w} reads everything`).join('\n'),
      },
    );
  },
};
