/**
 * CRASH-POWERLOSS: record a durable store's system calls while it acknowledges a short seeded
 * sequence of writes, then replay the crash states a power cut may legally leave (weakest POSIX
 * model, conformance/powerloss/crash-states.ts) and require every acknowledged write to survive.
 * The failure report names the change that never became durable, shows the trace around the cut,
 * what the store returned, and the operation sequence shrunk by re-recording shorter ones.
 */
import { unlessKind } from '../../spec/persistence.js';
import fc from 'fast-check';
import { formatOp, type Op } from '../../spec/model.js';
import { CheckFailure, CheckSkipped, type Check, type CheckContext, type RunOptions } from '../check.js';
import { processSkipReason, storeCommand } from '../properties/process-backed.js';
import { ackNames, describeLoss, excerpt } from './explain.js';
import { Explorer, type Exploration, type Failure } from './explore.js';
import { CrashStateReader, type Pools } from './materialize.js';
import { parseTrace } from './parse.js';
import { record, recorderProblemAsync } from './record.js';
import { KIND_TEXT } from './sample.js';
import { interpret, type StoreTrace } from './trace.js';

export const DEFAULT_CRASH_STATES = 40;
/** Exploring stops here even with states left (a passing store's check stays under two minutes). */
const EXPLORE_MS = 80_000;
const SHRINK_MS = 30_000;
const OPS = 6;

/**
 * The reader of a check's crash states (conformance/powerloss/materialize.ts). Its processes start at the first state
 * read: after the recording, so a store whose recording shows nothing to replay (its data lives elsewhere) starts none.
 */
export function crashStateReader(ctx: CheckContext, command: string): CrashStateReader {
  const reader = new CrashStateReader(command, { requestTimeoutMs: ctx.options.timeoutMs, echoStderr: ctx.options.driverStderr });
  ctx.defer(() => reader.dispose());
  return reader;
}

/** How many distinct crash states to try: --crash-states (or TITAN_CRASH_STATES, conformance/options.ts), else 40. */
export function crashStates(options: RunOptions): number {
  const n = options.crashStates;
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : DEFAULT_CRASH_STATES;
}

const LS_KEYS = ['a', 'b', 'c', 'd'];
const SESSION = { id: 'u1', keys: ['x', 'y'] };
const POOLS: Pools = { lsKeys: LS_KEYS, sessions: new Map([[SESSION.id, SESSION.keys]]) };

/** A short write sequence; every value starts with "#n|" so a report can say which operation wrote it. */
export function workload(seed: number, n = OPS): Op[] {
  const kinds = ['ls.set', 'ls.set', 'ls.set', 'session.set', 'session.set', 'ls.remove', 'session.delete', 'ls.clear', 'session.clear'] as const;
  const arb = fc.array(fc.record({ kind: fc.nat(kinds.length - 1), key: fc.nat(7), size: fc.nat(48) }), { minLength: n, maxLength: n });
  const plan = fc.sample(arb, { seed, numRuns: 1 })[0]!;
  return plan.map((p, i): Op => {
    const value = `#${i + 1}|${'v'.repeat(p.size)}`;
    const key = LS_KEYS[p.key % LS_KEYS.length]!;
    const skey = SESSION.keys[p.key % SESSION.keys.length]!;
    // The first operation always writes, so every sequence has something to lose.
    switch (i === 0 ? 'ls.set' : kinds[p.kind]) {
      case 'ls.set':
        return { op: 'ls.set', key, value };
      case 'session.set':
        return { op: 'session.set', id: SESSION.id, key: skey, value };
      case 'ls.remove':
        return { op: 'ls.remove', key };
      case 'session.delete':
        return { op: 'session.delete', id: SESSION.id, key: skey };
      case 'ls.clear':
        return { op: 'ls.clear' };
      default:
        return { op: 'session.clear', id: SESSION.id };
    }
  });
}

interface Recorded {
  readonly ops: readonly Op[];
  readonly ids: readonly number[];
  readonly trace: StoreTrace;
}

async function recordOps(command: string, ops: readonly Op[], scratch: string, options: RunOptions): Promise<Recorded> {
  const rec = await record(command, ops, scratch, options.timeoutMs, options.strace);
  return { ops, ids: rec.ids, trace: interpret(await parseTrace(rec.trace), rec.storeDir) };
}

/** Why this recording cannot tell anything about power loss, or null. */
function unobservable(r: Recorded): string | null {
  const files = r.trace.events.filter((e) => e.kind !== 'ack');
  const acks = r.trace.events.filter((e) => e.kind === 'ack').length;
  if (acks < r.ops.length + 1) return `the trace shows ${acks} of ${r.ops.length + 2} acknowledgements: the driver's responses were not seen on its stdout`;
  if (files.length === 0) {
    const peers = r.trace.peers.length ? `; it connected to ${r.trace.peers.join(', ')}` : '';
    return `not observable: the store acknowledged ${r.ops.length} writes without writing any file under its directory${peers}. Its data lives elsewhere (a server, a remote database), whose power loss this check cannot simulate`;
  }
  if (r.trace.unsupported.length) return `not replayable: the store used ${r.trace.unsupported.join('; ')}, which this recorder does not model`;
  return null;
}

function where(f: Failure, ops: readonly Op[]): string {
  if (f.inflight) return `while operation ${f.acked + 1} ${formatOp(ops[f.acked]!)} was in flight (${f.acked} acknowledged before it)`;
  return f.acked === 0 ? 'before any write was acknowledged' : `after operation ${f.acked} of ${ops.length} was acknowledged`;
}

class PowerLoss {
  constructor(
    private readonly ctx: CheckContext,
    private readonly command: string,
    private readonly verifier: CrashStateReader,
    private readonly scratch: string,
  ) {}

  explorer(r: Recorded): Explorer {
    return new Explorer(this.verifier, this.ctx.options.timeoutMs, this.scratch, POOLS, r.ops, r.trace.events);
  }

  async attempt(ops: readonly Op[], budget: number, deadline: number): Promise<{ r: Recorded; x: Exploration; explorer: Explorer } | null> {
    const r = await recordOps(this.command, ops, this.scratch, this.ctx.options);
    if (unobservable(r)) return null;
    const explorer = this.explorer(r);
    const x = await explorer.explore(this.ctx.options.seed, budget, deadline);
    return { r, x, explorer };
  }

  /** Shorter sequences that still fail: the prefix up to the failing cut, then one operation dropped at a time. */
  async shrink(start: { r: Recorded; x: Exploration; explorer: Explorer }): Promise<{ r: Recorded; x: Exploration; explorer: Explorer; attempts: number }> {
    let best = start;
    let attempts = 0;
    const deadline = Date.now() + SHRINK_MS;
    const f = best.x.failure!;
    const prefix = best.r.ops.slice(0, f.acked + (f.inflight ? 1 : 0));
    const tryOps = async (ops: readonly Op[]) => {
      if (ops.length === 0 || Date.now() > deadline) return false;
      attempts++;
      const a = await this.attempt(ops, 12, deadline + 10_000);
      if (a?.x.failure) best = a;
      return Boolean(a?.x.failure);
    };
    if (prefix.length < best.r.ops.length) await tryOps(prefix);
    for (let i = 0; i < best.r.ops.length && Date.now() < deadline; ) {
      if (!(await tryOps(best.r.ops.filter((_, j) => j !== i)))) i++;
    }
    return { ...best, attempts };
  }

  async report(found: { r: Recorded; x: Exploration; explorer: Explorer }, original: number, attempts: number): Promise<never> {
    const { r, explorer } = found;
    const f = found.x.failure!;
    const s = f.candidate.state;
    const names = ackNames(r.ops, r.ids);
    const culprits = await explorer.culprits(f);
    const lossText = (i: number) => {
      const fate = f.candidate.fates[i]!;
      return describeLoss(s.pending[i]!, s, r.trace.events, typeof fate === 'object' ? fate.prefix : undefined);
    };
    const causes = culprits.length
      ? culprits.map((c) => lossText(c.index))
      : f.candidate.fates.flatMap((fate, i) => (fate === 'keep' ? [] : [lossText(i)])).slice(0, 8);
    const story = [
      `operations (${r.ops.length < original ? `shrunk from ${original} by ${attempts} re-recordings` : 'not shrunk'}; each acknowledged before the next was sent):`,
      ...r.ops.map((o, i) => `  ${i + 1}. ${formatOp(o)}`),
      `power cut ${where(f, r.ops)}; crash state: ${KIND_TEXT[f.candidate.kind]}`,
      culprits.length ? 'lost, and enough on its own to lose acknowledged data:' : 'lost together (no single one of them loses data on its own):',
      ...causes.map((c) => `  - ${c}`),
      `trace around the cut (${r.trace.events.length} file-system events under the store directory):`,
      ...excerpt(r.trace.events, s.cut, names),
      'what the store then returned:',
      ...(culprits[0]?.problem ?? f.problem).map((p) => `  ${p}`),
      `${found.x.tried} distinct crash states tried in the last exploration (--crash-states ${crashStates(this.ctx.options)}, seed ${this.ctx.options.seed}); SIGKILL at the same cut loses nothing`,
    ];
    const missing = culprits.length ? causes[0]! : causes.join('; ');
    const outcome = f.problem[0]!.startsWith('the store did not open') ? 'leaves a store that does not open' : 'loses acknowledged data';
    throw new CheckFailure('CRASH-POWERLOSS', `a power cut ${where(f, r.ops)} ${outcome}: ${f.problem[0]}. Missing sync: ${missing}`, {
      counterexample: story.join('\n'),
      seed: this.ctx.options.seed,
      ...(r.ops.length < original ? { shrunk: true } : { shrunk: false, whyNotShrunk: 'no shorter sequence of operations re-recorded the loss' }),
    });
  }
}

const crashPowerloss: Check = {
  id: 'CRASH-POWERLOSS/replayed-crash-states',
  slow: true,
  requirement: 'CRASH-POWERLOSS',
  title: 'every crash state a power cut may leave (weakest POSIX model, from a strace recording) holds every acknowledged write',
  skip(caps, ctx) {
    const notDurable = unlessKind(caps.persistence, 'durable');
    if (notDurable) return notDurable;
    return processSkipReason(ctx);
  },
  async run(ctx: CheckContext) {
    const noRecorder = await recorderProblemAsync(ctx.options.strace);
    if (noRecorder) throw new CheckSkipped(noRecorder);
    const command = await storeCommand(ctx);
    const ops = workload(ctx.options.seed);
    const r = await recordOps(command, ops, await ctx.tmpdir(), ctx.options);
    const why = unobservable(r);
    if (why) throw new CheckSkipped(why);
    const reader = crashStateReader(ctx, command);
    const pl = new PowerLoss(ctx, command, reader, await ctx.tmpdir());
    const explorer = pl.explorer(r);
    const budget = crashStates(ctx.options);
    const x = await explorer.explore(ctx.options.seed, budget, Date.now() + Math.min(EXPLORE_MS, ctx.remainingMs()));
    if (x.failure) {
      const shrunk = await pl.shrink({ r, x, explorer });
      return pl.report(shrunk, ops.length, shrunk.attempts);
    }
    // Every state tried lost data that SIGKILL loses too: that is CRASH-CONSISTENT's defect, and power loss was never judged.
    if (x.judgedCuts === 0 && x.sigkillVisible > 0) throw new CheckSkipped(`not judged: at every one of the ${x.cutsTried} cut points tried, acknowledged data is lost under SIGKILL already (CRASH-CONSISTENT's defect), so no loss can be blamed on power loss`);
    const events = r.trace.events;
    const syncs = events.filter((e) => e.kind === 'fsync' || e.kind === 'sync').length;
    return [
      `${x.tried} distinct crash states tried (budget ${budget}) at ${x.cutsTried} cut points`,
      `${events.length} file-system events, ${syncs} syncs, ${r.ops.length} writes`,
      ...(x.timeUp ? ['stopped at the time budget'] : []),
      ...(x.sigkillVisible ? [`${x.sigkillVisible} cut points already lose data under SIGKILL (CRASH-CONSISTENT's)`] : []),
      ...(r.trace.mapped.length ? [`writes through shared mappings of ${r.trace.mapped.join(', ')} are not seen`] : []),
      ...(reader.carriesState ? [`every state read by a fresh process: ${reader.carriesState}`] : []),
    ].join('; ');
  },
};

export const checks: Check[] = [crashPowerloss];
