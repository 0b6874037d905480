/**
 * SHARE-* and LIN-*: several isolates (worker_threads, each loading the implementation module) on one
 * store, as TitanPL runs requests. For every fresh store the main thread calls
 * `impl.createShared?.()` once and every isolate opens `{ dir, shared }` with the same dir.
 */
import fc from 'fast-check';
import { CheckFailure, type Check, type CheckContext } from '../check.js';
import { IsolateFailure, IsolatePool } from '../isolates/pool.js';
import { explain, Mismatch, requirementFor } from '../property.js';
import { emptyState, formatOp, formatOutput, outputsEqual, step, type Op, type State } from '../../spec/model.js';
import { checkStorageHistory, renderStorageFailure } from '../../spec/storage-linearizability.js';
import { writeOpArb } from '../arbitraries.js';
import { ProcessBacked, processSkipReason } from '../driver/process-backed.js';
import { applyAll, expectState, Touched } from '../observe.js';
import { linearizabilityWitness, SequentialHistory, type Witness } from '../report/witness.js';

const needsModulePath = (_caps: unknown, ctx: { modulePath?: string }) =>
  ctx.modulePath === undefined ? 'needs the implementation\'s module path, to load it in worker threads' : null;

/** A few keys and sessions, so isolates collide. */
const LS_KEYS = ['a', 'b', 'c'];
const SESSION_IDS = ['s1', 's2'];
const SESSION_KEYS = ['x', 'y', 'z'];

/** An operation with a placeholder value: `size` long, made unique per isolate and position when run (unique values keep the search small). */
type Planned = Op extends infer O ? (O extends { value: string } ? Omit<O, 'value'> & { size: number } : O) : never;

const sizeArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constantFrom(2_000, 20_000) });
const lsKey = fc.constantFrom(...LS_KEYS);
const sid = fc.constantFrom(...SESSION_IDS);
const skey = fc.constantFrom(...SESSION_KEYS);

/** Weighted to stress races: many writes to few keys, clear and keys next to sets, several keys of one session, long values. */
const mixedArb: fc.Arbitrary<Planned> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('ls.set' as const), key: lsKey, size: sizeArb }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('ls.get' as const), key: lsKey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('ls.remove' as const), key: lsKey }) },
  { weight: 2, arbitrary: fc.constant({ op: 'ls.keys' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'ls.clear' as const }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('session.set' as const), id: sid, key: skey, size: sizeArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('session.get' as const), id: sid, key: skey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.delete' as const), id: sid, key: skey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.clear' as const), id: sid }) },
);

/** Clear and keys against sets and gets of more keys: a clear that is not atomic shows half done. */
const wideKey = fc.constantFrom(...LS_KEYS, 'd', 'e', 'f');
const clearRaceArb: fc.Arbitrary<Planned> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('ls.set' as const), key: wideKey, size: fc.constantFrom(0, 0, 2_000) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('ls.get' as const), key: wideKey }) },
  { weight: 3, arbitrary: fc.constant({ op: 'ls.keys' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'ls.clear' as const }) },
);

/** Writes to different keys of one session: a read-modify-write of the whole session loses some. */
const sessionRaceArb: fc.Arbitrary<Planned> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('session.set' as const), id: fc.constant('s1'), key: skey, size: sizeArb }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('session.get' as const), id: fc.constant('s1'), key: skey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.delete' as const), id: fc.constant('s1'), key: skey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.clear' as const), id: fc.constant('s1') }) },
);

/** A value unique to (isolate, position); long ones repeat a letter so a torn mix of two matches neither. */
function materialize(p: Planned, isolate: number, index: number): Op {
  if (!('size' in p)) return p;
  const { size, ...rest } = p;
  const value = `${isolate}.${index}:${String.fromCharCode(65 + ((isolate * 7 + index) % 26)).repeat(size)}`;
  return { ...rest, value } as Op;
}

const showOps = (ops: readonly Op[]) => ops.map((o) => `    ${formatOp(o)}`).join('\n');

/** Start a pool of isolates for this check; stopped after it. */
async function startPool(ctx: CheckContext, n: number): Promise<IsolatePool> {
  try {
    const pool = await IsolatePool.start(ctx.modulePath!, n, ctx.options.timeoutMs);
    ctx.defer(() => pool.terminate());
    return pool;
  } catch (e) {
    throw new CheckFailure('API-SHAPE', `could not load the implementation in a worker thread: ${explain(e)}`);
  }
}

/** A fresh store: one createShared() result and one dir for every isolate. */
async function openFresh(ctx: CheckContext, pool: IsolatePool): Promise<void> {
  await pool.open(await ctx.tmpdir(), ctx.impl.createShared?.());
}

interface CrossIsolateOptions<T> {
  runs: number;
  show: (value: T) => string;
  /** Stop starting new runs after this long (the runs done so far stand). */
  timeLimitMs: number;
  /** Races are nondeterministic: while shrinking, a candidate counts as passing only after this many clean runs. */
  retriesWhileShrinking: number;
}

/**
 * fast-check over isolates. A pool that broke (an isolate hung or crashed) ends the check with that
 * failure at once; `detail()` is the explanation of the last failing execution (the shrunk one).
 */
async function crossIsolateProperty<T>(ctx: CheckContext, requirement: string, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, opts: CrossIsolateOptions<T>, detail: () => string | undefined, witness: () => Witness | undefined): Promise<void> {
  let fatal: unknown;
  let failedOnce = false;
  const { seed, path } = ctx.options;
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      if (fatal !== undefined) return;
      const attempts = failedOnce ? opts.retriesWhileShrinking : 1;
      for (let a = 0; a < attempts; a++) {
        try {
          await predicate(value);
        } catch (e) {
          if (e instanceof IsolateFailure) fatal = e;
          failedOnce = true;
          throw e;
        }
      }
    }),
    { seed, path, numRuns: Math.max(1, Math.round(opts.runs)), endOnFailure: path !== undefined, interruptAfterTimeLimit: opts.timeLimitMs, markInterruptAsFailure: false },
  );
  if (!details.failed) return;
  const value = details.counterexample?.[0] as T | undefined;
  const text = [value === undefined ? undefined : opts.show(value), detail()].filter((s) => s !== undefined).join('\n');
  const message = fatal !== undefined ? `an isolate failed: ${(fatal as Error).message}` : explain(details.errorInstance);
  const w = fatal === undefined ? witness() : undefined;
  throw new CheckFailure(requirement, message, { counterexample: text || undefined, seed: details.seed, path: details.counterexamplePath ?? undefined, ...(w ? { witness: w } : {}) });
}

// --- SHARE-VISIBLE ---------------------------------------------------------------------------------

interface VisibilityStep {
  readonly writer: number;
  readonly reader: number;
  readonly op: Op;
}

const mutationArb: fc.Arbitrary<Op> = fc.oneof(
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

const shareVisible: Check = {
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

// --- LIN-LINEARIZABLE ------------------------------------------------------------------------------

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

const linearizable: Check = {
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

// --- SHARE-CLUSTER ---------------------------------------------------------------------------------

/** Each run starts two processes (~0.5-1 s each with tsx): keep the run count small. */
const CLUSTER_MAX_RUNS = 6;

/** Two processes open the same dir; each write that returned in one must be read back by the other. */
const shareCluster: Check = {
  id: 'SHARE-CLUSTER/two-processes',
  requirement: 'SHARE-CLUSTER',
  title: 'two processes opening the same store see one store',
  skip: (_caps, ctx) => processSkipReason(ctx),
  async run(ctx: CheckContext) {
    const procs = await ProcessBacked.from(ctx);
    const steps = fc.array(fc.tuple(fc.nat({ max: 1 }), writeOpArb), { minLength: 1, maxLength: 12 });
    const details = await fc.check(
      fc.asyncProperty(steps, async (plan) => {
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
      }),
      { seed: ctx.options.seed, path: ctx.options.path, numRuns: Math.max(1, Math.min(ctx.options.runs, CLUSTER_MAX_RUNS)), endOnFailure: true },
    );
    if (details.failed) {
      const plan = details.counterexample?.[0];
      throw new CheckFailure(requirementFor(details.errorInstance, 'SHARE-CLUSTER'), explain(details.errorInstance), {
        counterexample: plan?.map(([w, o], i) => `${String(i + 1).padStart(3)}. process ${w}: ${formatOp(o)}; then process ${1 - w} reads everything`).join('\n'),
        seed: details.seed,
        path: details.counterexamplePath ?? undefined,
        shrunk: false,
      });
    }
  },
};

export const checks: Check[] = [shareVisible, linearizable, shareCluster];
