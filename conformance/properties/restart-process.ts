/**
 * Real restarts: the store's process is SIGKILLed (no close, no flush) and a fresh process opens the
 * same dir. Volatile stores must come back empty, durable ones exactly as the model says after the
 * last acknowledged operation. Two rounds (write, kill, check, write, kill, check) so a store that
 * survives one restart but stops persisting afterwards is caught too.
 */
import fc from 'fast-check';
import { emptyState, type Op } from '../../spec/model.js';
import { keyArb, sessionIdArb, valueArb, writesArb } from '../arbitraries.js';
import { opAllowedNow } from '../avoid.js';
import type { Check, CheckContext } from '../check.js';
import { ProcessBacked, processSkipReason } from './process-backed.js';
import { applyAll, expectState, showOps, Touched } from '../observe.js';
import { checkProperty } from '../property.js';

/**
 * Every kill costs a fresh process (~0.2 s of CPU): at most this many runs unless options.restartRuns says otherwise.
 * A durable store can lose data at any point of a sequence, so it gets many kills; a volatile one has nothing to keep
 * at any point, so it gets the same writes in fewer, longer rounds (its kills are overhead, its writes the work).
 */
const MAX_RUNS = { durable: 8, volatile: 3 } as const;
const ROUND_WRITES = { durable: 10, volatile: 28 } as const;

/** Writes that end with at least one local and one session entry, so "empty" and "kept" differ (less an operation the attempt steps around). */
const roundArb = (writes: number): fc.Arbitrary<Op[]> =>
  fc
    .tuple(writesArb(writes), keyArb, valueArb, sessionIdArb, keyArb, valueArb)
    .map(([ops, k, v, id, sk, sv]) => [...ops, { op: 'ls.set', key: k, value: v } as Op, { op: 'session.set', id, key: sk, value: sv } as Op].filter(opAllowedNow));

const ROUNDS = 2;

function showRounds([a, b]: [Op[], Op[]]): string {
  return `${showOps(a)}\n  -- SIGKILL, fresh process, open the same dir --\n${showOps(b)}\n  -- SIGKILL, fresh process, open the same dir --`;
}

function restartCheck(requirement: 'RESTART-KILL-VOLATILE' | 'RESTART-KILL-DURABLE'): Check {
  const volatile = requirement === 'RESTART-KILL-VOLATILE';
  return {
    id: `${requirement}/sigkill-restart`,
    slow: true,
    requirement,
    title: volatile ? 'after SIGKILL and a fresh process, ls.keys() is empty and every read returns null' : 'after SIGKILL and a fresh process, the state equals the model after the last acknowledged write',
    // Which persistence it applies to is the registry's appliesTo, answered before this.
    skip: (_caps, ctx) => processSkipReason(ctx),
    async run(ctx: CheckContext) {
      const kind = volatile ? 'volatile' : 'durable';
      const runs = Math.min(ctx.options.runs, ctx.options.restartRuns || MAX_RUNS[kind]);
      // Every run reuses the last run's process (closed, so idle) and kills ROUNDS times: no spare started for nothing.
      const procs = await ProcessBacked.from(ctx, { processes: runs * ROUNDS + 1 });
      // No shrinking: every shrink step would start processes again (seconds each); the rounds are short anyway.
      await checkProperty(
        ctx,
        requirement,
        fc.tuple(roundArb(ROUND_WRITES[kind]), roundArb(ROUND_WRITES[kind])),
        async (rounds) => {
          let store = await procs.open();
          let expected = emptyState;
          const touched = new Touched();
          for (let r = 0; r < rounds.length; r++) {
            expected = await applyAll(store.h, rounds[r]!, expected, touched);
            store = await procs.killAndReopen(store);
            if (volatile) expected = emptyState;
            await expectState(store.h, expected, touched, `after SIGKILL and restart ${r + 1}`);
          }
          await store.storage.close();
        },
        { runs, noShrink: true, whyNotShrunk: 'every attempt kills and restarts processes; the first failing run is shown', show: showRounds },
      );
    },
  };
}

export const checks: Check[] = [restartCheck('RESTART-KILL-VOLATILE'), restartCheck('RESTART-KILL-DURABLE')];
