/** PERSIST-*: what a restart (close, then open on the same dir) leaves, per declared persistence. */
import fc from 'fast-check';
import type { Check } from '../check.js';
import { hostileOpsArb, writesArb } from '../arbitraries.js';
import { applyAll, expectState, showOps, showThen, Touched } from '../observe.js';
import { checkProperty } from '../property.js';
import { emptyState } from '../../spec/model.js';

/** A clean restart (close, then open) loses nothing: durable stores (since 1) and bounded-loss ones (since 3). */
function stateAfterRestart(requirement: 'PERSIST-DURABLE' | 'PERSIST-BOUNDED', what: string): Check {
    return {
      id: `${requirement}/state-after-restart`,
      requirement,
      title: `after a restart ${what} holds exactly the state after the last completed operation`,
      run: (ctx) =>
        checkProperty(
          ctx,
          requirement,
          fc.array(hostileOpsArb(15), { minLength: 1, maxLength: 3 }),
          async (rounds) => {
            const touched = new Touched();
            let state = emptyState;
            let h = await ctx.fresh();
            try {
              for (const [i, ops] of rounds.entries()) {
                state = await applyAll(h, ops, state, touched);
                h = await ctx.restart(h);
                await expectState(h, state, touched, `after restart ${i + 1}`);
              }
            } finally {
              await h.close().catch(() => {});
            }
          },
          { show: (rounds) => rounds.map((ops, i) => `${showOps(ops)}\n  then restart ${i + 1}`).join('\n'), runs: ctx.options.runs / 2 },
        ),
    };
}

export const checks: Check[] = [
  {
    id: 'PERSIST-VOLATILE/empty-after-restart',
    requirement: 'PERSIST-VOLATILE',
    title: 'after a restart a volatile store is empty',
    run: (ctx) =>
      checkProperty(
        ctx,
        'PERSIST-VOLATILE',
        writesArb(20),
        async (ops) => {
          const touched = new Touched();
          let h = await ctx.fresh();
          try {
            await applyAll(h, ops, emptyState, touched);
            h = await ctx.restart(h);
            await expectState(h, emptyState, touched, 'after the restart');
          } finally {
            await h.close().catch(() => {});
          }
        },
        { show: (ops) => showThen(ops, 'restart'), runs: ctx.options.runs / 2 },
      ),
  },
  stateAfterRestart('PERSIST-DURABLE', 'a durable store'),
  stateAfterRestart('PERSIST-BOUNDED', 'a bounded-loss store'),
];
