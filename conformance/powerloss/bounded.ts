/**
 * LOSS-BOUNDED under power loss: record a bounded-loss store's system calls (strace -ttt) while it
 * acknowledges a paced write sequence spanning a few windows, then replay the crash states a power
 * cut may leave (the same candidates as CRASH-POWERLOSS) and require the state after a prefix of the
 * operations that holds every one acknowledged at least windowMs before the cut. Ages come from the
 * trace's own clock: the response line's write for an acknowledgement, the last event before the cut
 * for the crash. The report states the observed window over every state tried.
 */
import { mkdtemp, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, formatOp, opArgs, type Op, type State } from '../../spec/model.js';
import { persistencePromise, unlessSurvives } from '../../spec/persistence.js';
import { CheckFailure, CheckSkipped, type Check, type CheckContext } from '../check.js';
import { driverImplementation } from '../driver/client.js';
import { callOp } from '../harness.js';
import { judgeCrash, showWindow, type CrashVerdict } from '../loss-window.js';
import { processSkipReason, storeCommand } from '../properties/process-backed.js';
import { LS_KEYS, SESSION, streamOp } from '../properties/bounded-loss.js';
import { crashStateReader, crashStates } from './check.js';
import { materializeTree, treeDigest } from './crash-states.js';
import { type CrashStateReader, type Pools } from './materialize.js';
import { parseTrace } from './parse.js';
import { recorderProblemAsync, tracedCommand } from './record.js';
import { candidates, KIND_TEXT } from './sample.js';
import { interpret, type TimedEvent } from './trace.js';

const OPS = 10;
const EXPLORE_MS = 80_000;
const POOLS: Pools = { lsKeys: LS_KEYS, sessions: new Map([[SESSION.id, SESSION.keys]]) };

export interface PowerLossWindow {
  readonly tried: number;
  readonly lost: number;
  /** Age of the oldest lost acknowledged write over every state tried (ms). */
  readonly windowMs: number;
  readonly worst?: string;
  /** The worst state kept none of the writes: the window seen is bounded only by the recording's length. */
  readonly worstAll?: boolean;
  /** The first state that is no prefix of the operations, or did not open. */
  readonly broken?: string;
  /** Why the recording shows nothing to replay (the data lives in a server…). */
  readonly unobservable?: string;
}

/** Run `ops` under the recorder, `pauseMs` apart, so the sequence spans a few loss windows. */
async function recordPaced(command: string, ops: readonly Op[], pauseMs: number, scratch: string, timeoutMs: number, strace?: string): Promise<{ events: readonly TimedEvent[]; peers: readonly string[] }> {
  const storeDir = await realpath(await mkdtemp(join(scratch, 'recorded-')));
  const traceFile = join(scratch, `trace-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const impl = await driverImplementation(tracedCommand(command, traceFile, strace), { requestTimeoutMs: Math.max(timeoutMs, 30_000), helloTimeoutMs: 60_000 });
  try {
    const store = await impl.open({ dir: storeDir });
    for (const o of ops) {
      await callOp(store, o.op, opArgs(o));
      await new Promise((r) => setTimeout(r, pauseMs));
    }
    await store.close();
  } finally {
    await impl.dispose();
  }
  const trace = interpret(await parseTrace(await readFile(traceFile, 'utf8')), storeDir);
  return { events: trace.events, peers: trace.peers };
}

/** Replay the crash states of one paced recording and measure the loss window (never throws for the store's faults). */
export async function powerLossWindow(opts: { command: string; verifier: CrashStateReader; scratch: string; seed: number; windowMs: number; budget: number; deadline: number; timeoutMs: number; strace?: string; stopAtWindow?: boolean }): Promise<PowerLossWindow> {
  const ops = Array.from({ length: OPS }, (_, n) => streamOp(opts.seed, n));
  const pauseMs = Math.max(5, (3 * opts.windowMs) / OPS);
  const { events, peers } = await recordPaced(opts.command, ops, pauseMs, opts.scratch, opts.timeoutMs, opts.strace);
  const acks = events.filter((e): e is TimedEvent & { kind: 'ack'; id: number } => e.kind === 'ack');
  if (!events.some((e) => e.kind !== 'ack')) {
    return { tried: 0, lost: 0, windowMs: 0, unobservable: `the store wrote no file under its directory${peers.length ? `; it connected to ${peers.join(', ')}` : ''}: its data lives elsewhere, whose power loss this recorder cannot simulate` };
  }
  const seen = new Set<string>();
  let tried = 0;
  let lost = 0;
  let worstMs = 0;
  let worst: string | undefined;
  let worstAll = false;
  for (const c of candidates(events, opts.seed)) {
    if (tried >= opts.budget || Date.now() > opts.deadline) break;
    const cut = c.state.cut;
    // Operation i is acknowledged by response id i + 2 (open is 1); the crash is at the last event before the cut.
    const ackAt = acks.filter((a) => a.seq < cut && a.id >= 2 && a.id <= OPS + 1).map((a) => a.time * 1000);
    const opened = acks.some((a) => a.seq < cut && a.id === 1);
    const sent = opened ? Math.min(OPS, ackAt.length + 1) : 0;
    const tree = materializeTree(c.state, (p) => c.fates[c.state.pending.indexOf(p)] ?? 'keep');
    const key = `${treeDigest(tree)}|${ackAt.length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tried++;
    const last = events[Math.max(0, cut - 1)]!;
    // Each reading judged once: the reader asks for the verdict on its reading, the window takes the one it returns.
    const verdicts = new Map<State, CrashVerdict>();
    const judge = (state: State): CrashVerdict => {
      let v = verdicts.get(state);
      if (!v) verdicts.set(state, (v = judgeCrash(emptyState, ops.slice(0, sent), ackAt, last.time * 1000, state, (i) => i)));
      return v;
    };
    const read = await opts.verifier.read(opts.timeoutMs, opts.scratch, tree, POOLS, (r) => {
      if (!('state' in r)) return false;
      const v = judge(r.state);
      return v.prefix !== null && v.lost === 0;
    });
    const at = `a power cut after ${ackAt.length} of ${OPS} acknowledged writes (trace line ${last.line}; ${KIND_TEXT[c.kind]})`;
    if ('problem' in read) return { tried, lost, windowMs: worstMs, broken: `${at}: ${read.problem}` };
    const v = judge(read.state);
    if (v.prefix === null) return { tried, lost, windowMs: worstMs, broken: `${at}: the state is not the state after any prefix of the operations sent: ${v.hole}` };
    lost += v.lost;
    if (v.lost && v.lostAgeMs >= worstMs) {
      worstMs = v.lostAgeMs;
      worstAll = v.prefix === 0;
      worst = `${at}: the store holds the first ${v.prefix}; the oldest lost one, #${v.prefix} ${formatOp(ops[v.prefix]!).slice(0, 60)}, was acknowledged ${v.lostAgeMs.toFixed(1)} ms before the cut`;
      if (opts.stopAtWindow && worstMs >= opts.windowMs) break;
    }
  }
  return { tried, lost, windowMs: worstMs, ...(worst ? { worst, worstAll } : {}) };
}

const powerLoss: Check = {
  id: 'LOSS-BOUNDED/powerloss',
  slow: true,
  requirement: 'LOSS-BOUNDED',
  title: 'every crash state a power cut may leave holds a prefix of the operations with every one acknowledged windowMs before the cut',
  skip: (caps, ctx) => unlessSurvives(caps.persistence, 'powerloss') ?? processSkipReason(ctx),
  async run(ctx: CheckContext) {
    const noRecorder = await recorderProblemAsync(ctx.options.strace);
    if (noRecorder) throw new CheckSkipped(noRecorder);
    const declared = persistencePromise(ctx.impl.capabilities.persistence).windowMs;
    const command = await storeCommand(ctx);
    const verifier = crashStateReader(ctx, command);
    const budget = crashStates(ctx.options);
    const r = await powerLossWindow({
      command, verifier, scratch: await ctx.tmpdir(), seed: ctx.options.seed, windowMs: declared, budget,
      deadline: Date.now() + Math.min(EXPLORE_MS, ctx.remainingMs()), timeoutMs: ctx.options.timeoutMs, strace: ctx.options.strace, stopAtWindow: true,
    });
    if (r.unobservable) throw new CheckSkipped(r.unobservable);
    const details = { seed: ctx.options.seed, shrunk: false, whyNotShrunk: 'the recording is replayed as it is; its crash states are told' };
    if (r.broken) throw new CheckFailure('LOSS-BOUNDED', r.broken, { ...details, counterexample: r.broken });
    if (r.lost && r.windowMs >= declared) {
      throw new CheckFailure('LOSS-BOUNDED', `${showWindow(r.windowMs, r.lost)} after ${r.tried} power-loss crash states, declared window ${declared} ms: an acknowledged write ${r.windowMs.toFixed(0)} ms old was lost`, { ...details, counterexample: r.worst ?? '' });
    }
    return `${showWindow(r.windowMs, r.lost)} over ${r.tried} power-loss crash states (budget ${budget}); declared ${declared} ms`;
  },
};

export const checks: Check[] = [powerLoss];
