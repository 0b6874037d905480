/**
 * Checks over a history with faults (conformance/nemesis/): a driver whose hello offers a nemesis
 * (spec/PROTOCOL.md section 11) runs a workload on concurrent clients while the runner has the
 * primary paused and then isolated with a minority of clients, each healed and converged. One run
 * per implementation serves both checks: FAILOVER-ACKED-KEPT (no acknowledged unique write missing
 * after heal and convergence, the lost ones named) and LIN-LINEARIZABLE over the same history,
 * indeterminate operations taken as possibly applied.
 */
import type { Check, CheckContext } from '../check.js';
import { CheckFailure } from '../check.js';
import { isDriverImplementation } from '../driver/client.js';
import type { Implementation } from '../../spec/contract.js';
import { faultSchedule } from '../nemesis/schedule.js';
import { runUnderFaults, type FaultRunResult } from '../nemesis/run.js';
import { describeFaultRun, lostWritesText } from '../nemesis/describe.js';
import { renderStorageFailure } from '../linearizability/storage.js';
import { linearizabilityWitness } from '../report/witness.js';
import type { NemesisFault } from '../driver/protocol.js';

/** The quick scenario: one pause and one partition of the primary. */
export const QUICK_FAULTS: readonly NemesisFault[] = ['pause', 'isolate'];
export const FAULT_CLIENTS = 3;

const needsNemesis = (_caps: unknown, ctx: Pick<CheckContext, 'impl'>) => {
  if (!isDriverImplementation(ctx.impl) || !ctx.impl.servesClients) return 'needs a driver that serves concurrent clients (protocol version 2, hello "clients": true)';
  const offered = ctx.impl.nemesis?.faults ?? [];
  const missing = QUICK_FAULTS.filter((f) => !offered.includes(f));
  return missing.length ? `needs a driver whose hello offers the nemesis faults ${missing.join(', ')} (spec/PROTOCOL.md section 11)` : null;
};

const runs = new WeakMap<Implementation, Promise<FaultRunResult>>();

/** One fault run per implementation, shared by the checks of this file. */
function faultRun(ctx: CheckContext): Promise<FaultRunResult> {
  let r = runs.get(ctx.impl);
  if (!r) {
    r = (async () => {
      if (!isDriverImplementation(ctx.impl)) throw new Error('not a driver');
      const storage = await ctx.impl.open({ dir: await ctx.tmpdir() });
      try {
        return await runUnderFaults(storage, ctx.options.seed, faultSchedule(ctx.options.seed, { faults: QUICK_FAULTS, clients: FAULT_CLIENTS }), { clients: FAULT_CLIENTS });
      } finally {
        await storage.close().catch(() => storage.kill());
      }
    })();
    runs.set(ctx.impl, r);
  }
  return r;
}

/** The seed fixes the schedule, not the interleaving: a replay runs the same faults, not the same history. */
const REPLAY_NOTE = 'the seed fixes the fault schedule (faults, durations, isolated clients); the interleaving is the machine\'s';

const ackedKept: Check = {
  id: 'FAILOVER-ACKED-KEPT/faults',
  requirement: 'FAILOVER-ACKED-KEPT',
  title: 'after a pause and a partition of the primary, healed and converged, every acknowledged write is there',
  skip: needsNemesis,
  async run(ctx) {
    const r = await faultRun(ctx);
    if (r.incomplete) throw new CheckFailure('FAILOVER-ACKED-KEPT', `the deployment could not be read back: ${r.incomplete}`, { seed: ctx.options.seed, counterexample: describeFaultRun(r) });
    if (r.writes.lost.length > 0) {
      throw new CheckFailure('FAILOVER-ACKED-KEPT', `${r.writes.lost.length} of ${r.writes.acknowledged} acknowledged writes are missing after heal and convergence: ${lostWritesText(r.writes.lost)}`, {
        seed: ctx.options.seed,
        counterexample: `${describeFaultRun(r)}\n${REPLAY_NOTE}`,
      });
    }
    return describeFaultRun(r).split('\n')[0];
  },
};

const linearizableUnderFaults: Check = {
  id: 'LIN-LINEARIZABLE/faults',
  requirement: 'LIN-LINEARIZABLE',
  title: 'operations of concurrent clients are linearizable while the primary is paused and isolated (indeterminate ones possibly applied)',
  skip: needsNemesis,
  async run(ctx) {
    const r = await faultRun(ctx);
    if (r.lin.verdict === 'not-linearizable') {
      throw new CheckFailure('LIN-LINEARIZABLE', `the register operations of ${FAULT_CLIENTS} clients under faults have no linearization consistent with the sequential model`, {
        seed: ctx.options.seed,
        counterexample: `${describeFaultRun(r)}\n${renderStorageFailure(r.lin)}\n${REPLAY_NOTE}`,
        witness: linearizabilityWitness(r.lin, (c) => `client ${c}`, r.history),
      });
    }
    return r.lin.verdict === 'unknown' ? `linearizability unknown: ${r.lin.reason}` : `${r.history.length} register operations linearizable`;
  },
};

export const checks: Check[] = [ackedKept, linearizableUnderFaults];
