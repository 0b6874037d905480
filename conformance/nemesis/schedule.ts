/**
 * A fault schedule fixed by a seed: which faults, in which order, how long each lasts and which
 * clients a partition takes with the primary. Drawn with fast-check from the seed, so the same
 * seed gives the same schedule.
 */
import fc from 'fast-check';
import type { NemesisFault } from '../driver/protocol.js';

export interface ScheduledFault {
  fault: NemesisFault;
  /** Always the current primary: the node whose loss forces a failover. */
  node: 'primary';
  /** How long the fault lasts before heal (ms). */
  holdMs: number;
  /** For `isolate`: the clients cut off with the primary (a minority). */
  clients: number[];
}

export interface ScheduleOptions {
  faults: readonly NemesisFault[];
  /** How many clients run the workload (the partition takes fewer than half of them). */
  clients: number;
  /** Fault durations are drawn from [minHoldMs, maxHoldMs]. */
  minHoldMs?: number;
  maxHoldMs?: number;
}

/** One fault of each kind asked for, in that order, with seeded durations and minority clients. */
export function faultSchedule(seed: number, o: ScheduleOptions): ScheduledFault[] {
  const minority = Math.max(1, Math.floor((o.clients - 1) / 2));
  const arb = fc.tuple(
    ...o.faults.map((fault) =>
      fc.record({
        fault: fc.constant(fault),
        node: fc.constant('primary' as const),
        holdMs: fc.integer({ min: o.minHoldMs ?? 5000, max: o.maxHoldMs ?? 7000 }),
        clients: fault === 'isolate' ? fc.uniqueArray(fc.nat(o.clients - 1), { minLength: minority, maxLength: minority }) : fc.constant([] as number[]),
      }),
    ),
  );
  return fc.sample(arb, { seed, numRuns: 1 })[0]!;
}
