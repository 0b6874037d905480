/**
 * LOSS-BOUNDED under SIGKILL: stream small writes into a bounded-loss store running in its own
 * process, SIGKILL it at a seeded moment a few windows into the stream, reopen, and require the
 * state after a prefix of the operations sent that holds every one acknowledged at least windowMs
 * before the kill. Ages are measured on the runner's clock, from the arrival of an acknowledgement to
 * the SIGKILL. The report states the observed window: the age of the oldest lost acknowledged write
 * over every kill. Power loss: conformance/powerloss/bounded.ts.
 */
import fc from 'fast-check';
import { emptyState, formatOp, isMutation, opArgs, type Op, type State } from '../../spec/model.js';
import { persistencePromise, unlessSurvives } from '../../spec/persistence.js';
import { callOp } from '../harness.js';
import { CheckFailure, type Check, type CheckContext } from '../check.js';
import { judgeCrash, showWindow } from '../loss-window.js';
import { explain } from '../property.js';
import { crashKills, readKeySpace } from './crash.js';
import { ProcessBacked, processSkipReason, type ProcessStore } from './process-backed.js';

export const LS_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
export const SESSION = { id: 'u1', keys: ['x', 'y'] };

type Kind = 'ls.set' | 'ls.remove' | 'session.set' | 'session.delete';
const KINDS: readonly Kind[] = ['ls.set', 'ls.set', 'ls.set', 'ls.set', 'ls.remove', 'ls.remove', 'session.set', 'session.set', 'session.delete'];

/** Operation n of the stream (values "#n|…", so a report can say which write a value came from). Deterministic for a seed. */
export function streamOp(seed: number, n: number): Op {
  const [kind, key, size] = fc.sample(fc.tuple(fc.nat(KINDS.length - 1), fc.nat(63), fc.nat(64)), { seed: seed + n * 7919, numRuns: 1 })[0]!;
  const value = `#${n}|${'v'.repeat(size)}`;
  const k = LS_KEYS[key % LS_KEYS.length]!;
  const sk = SESSION.keys[key % SESSION.keys.length]!;
  switch (KINDS[kind]!) {
    case 'ls.set':
      return { op: 'ls.set', key: k, value };
    case 'ls.remove':
      return { op: 'ls.remove', key: k };
    case 'session.set':
      return { op: 'session.set', id: SESSION.id, key: sk, value };
    case 'session.delete':
      return { op: 'session.delete', id: SESSION.id, key: sk };
  }
}

/**
 * Time between an acknowledgement and the next write: a hundredth of the window (at least 1 ms). Ages are then known
 * to 1% of the window, each window still holds about a hundred writes to lose or keep in order, and the stream does not
 * spend two cores on round trips (at full speed, 12 kills of a 100 ms window took 19 000 to 38 000 writes; paced, 3 200).
 */
export const streamSpacingMs = (windowMs: number): number => Math.max(1, windowMs / 100);

/** When to kill in each round: a few windows into the stream, so a store keeping a longer window shows it. */
export function killDelays(seed: number, windowMs: number, rounds: number): number[] {
  const lo = Math.max(3 * windowMs, 150);
  const span = Math.max(2 * windowMs, 200);
  return fc.sample(fc.array(fc.noBias(fc.integer({ min: 0, max: 999 })), { minLength: rounds, maxLength: rounds }), { seed, numRuns: 1 })[0]!.map((u) => lo + (u / 1000) * span);
}

export interface SigkillResult {
  readonly rounds: number;
  readonly acked: number;
  readonly lost: number;
  /** Age of the oldest lost acknowledged write over all rounds (ms). */
  readonly windowMs: number;
  /** The first round whose recovered state was no prefix, and why. */
  readonly hole?: { round: number; why: string };
  /** The round that lost the oldest write, told for a report. */
  readonly worst?: string;
  /** That round kept none of its writes: the window seen is bounded only by the round's length. */
  readonly worstAll?: boolean;
}

/** Send a write now; the returned promise settles with its acknowledgement. */
function send(s: ProcessStore, o: Op): Promise<unknown> {
  return isMutation(o) ? Promise.resolve(callOp(s.storage, o.op, opArgs(o))) : s.h.apply(o);
}

/** The kill rounds, measured; throws only when a write fails before its kill. A store that does not reopen ends the rounds as a hole. */
export async function sigkillRounds(open: (dir?: string) => Promise<ProcessStore>, seed: number, windowMs: number, rounds: number): Promise<SigkillResult> {
  const delays = killDelays(seed, windowMs, rounds);
  const spacing = streamSpacingMs(windowMs);
  let store = await open();
  let base = emptyState;
  let n = 0;
  let acked = 0;
  let lost = 0;
  let worstMs = 0;
  let worst: string | undefined;
  let worstAll = false;
  let hole: SigkillResult['hole'];
  for (let round = 1; round <= rounds; round++) {
    const ops: Op[] = [];
    const ackAt: number[] = [];
    const first = n;
    let killedAt = Infinity;
    const victim = store;
    const killing = new Promise<void>((resolve) => setTimeout(resolve, delays[round - 1]!)).then(() => {
      killedAt = performance.now();
      return victim.storage.kill();
    });
    while (killedAt === Infinity) {
      const o = streamOp(seed, n++);
      ops.push(o);
      try {
        await send(store, o);
      } catch (e) {
        if (killedAt !== Infinity) break;
        throw new Error(`round ${round}: ${formatOp(o)} failed before the kill: ${explain(e)}`);
      }
      ackAt.push(performance.now());
      if (killedAt === Infinity) await new Promise((resolve) => setTimeout(resolve, spacing));
    }
    await killing;
    acked += ackAt.length;
    let observed: State;
    try {
      store = await open(store.dir);
      observed = await readKeySpace(store, LS_KEYS, SESSION);
    } catch (e) {
      // A store that does not come back has lost everything, the oldest writes included: no prefix.
      hole ??= { round, why: `after the kill the store did not reopen or read: ${explain(e)}` };
      return { rounds: round, acked, lost, windowMs: worstMs, hole, ...(worst ? { worst, worstAll } : {}) };
    }
    const v = judgeCrash(base, ops, ackAt, killedAt, observed, (i) => first + i);
    if (v.prefix === null) hole ??= { round, why: v.hole! };
    lost += v.lost;
    if (v.lost && v.lostAgeMs >= worstMs) {
      worstMs = v.lostAgeMs;
      worstAll = v.prefix === 0;
      worst = `SIGKILL ${round} of ${rounds}, ${delays[round - 1]!.toFixed(0)} ms into a stream of ${ops.length} writes (${ackAt.length} acknowledged): the reopened store holds the first ${v.prefix}; the oldest lost one, #${first + v.prefix!} ${formatOp(ops[v.prefix!]!).slice(0, 60)}, was acknowledged ${v.lostAgeMs.toFixed(1)} ms before the kill`;
    }
    base = observed;
  }
  await store.storage.close();
  return { rounds, acked, lost, windowMs: worstMs, ...(hole ? { hole } : {}), ...(worst ? { worst, worstAll } : {}) };
}

const sigkillWindow: Check = {
  id: 'LOSS-BOUNDED/sigkill',
  slow: true,
  requirement: 'LOSS-BOUNDED',
  title: 'SIGKILLed while writing, the store reopens with a prefix of its operations holding every one acknowledged windowMs before the kill',
  skip: (caps, ctx) => unlessSurvives(caps.persistence, 'sigkill') ?? processSkipReason(ctx),
  async run(ctx: CheckContext) {
    const declared = persistencePromise(ctx.impl.capabilities.persistence).windowMs;
    const kills = crashKills(ctx.options);
    const seed = ctx.options.seed;
    const procs = await ProcessBacked.from(ctx, { processes: kills + 1 });
    const r = await sigkillRounds((dir) => procs.open(dir), seed, declared, kills);
    const details = { seed, shrunk: false, whyNotShrunk: 'a kill lands at a moment no rerun reproduces; the round is described' };
    if (r.hole) {
      throw new CheckFailure('LOSS-BOUNDED', `after SIGKILL ${r.hole.round} of ${kills} the recovered state is not the state after any prefix of the operations sent (a hole, a torn value or a reordering): ${r.hole.why}`, { ...details, counterexample: r.hole.why });
    }
    if (r.lost && r.windowMs >= declared) {
      throw new CheckFailure('LOSS-BOUNDED', `${showWindow(r.windowMs, r.lost)} over ${kills} SIGKILLs, declared window ${declared} ms: an acknowledged write ${r.windowMs.toFixed(0)} ms old was lost`, { ...details, counterexample: r.worst ?? '' });
    }
    return `${showWindow(r.windowMs, r.lost)} over ${kills} SIGKILLs and ${r.acked} acknowledged writes; declared ${declared} ms`;
  },
};

export const checks: Check[] = [sigkillWindow];
