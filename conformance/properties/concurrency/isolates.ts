/**
 * What the cross-isolate checks share: small key pools (so isolates collide), the planned-operation
 * arbitraries, starting a pool of isolates on the module, and a property run over isolates.
 */
import type { Witness } from '../../report/witness.js';
import fc from 'fast-check';
import { CheckFailure, type CheckContext } from '../../check.js';
import { IsolateFailure, IsolatePool } from '../../isolates/pool.js';
import { checkProperty, explain } from '../../property.js';
import { formatOp, type Op } from '../../../spec/model.js';
import { isDriverImplementation } from '../../driver/client.js';

export const needsModulePath = (_caps: unknown, ctx: Pick<CheckContext, 'modulePath' | 'impl'>) => {
  if (isDriverImplementation(ctx.impl)) return 'loads the module into worker threads of this process, but the store runs behind a driver here (--isolation process or --driver): the /clients check of this requirement is the one that applies';
  return ctx.modulePath === undefined ? 'needs the implementation\'s module path, to load it in worker threads' : null;
};

/** A few keys and sessions, so isolates collide. */
export const LS_KEYS = ['a', 'b', 'c'];
export const SESSION_IDS = ['s1', 's2'];
export const SESSION_KEYS = ['x', 'y', 'z'];

/** An operation with a placeholder value: `size` long, made unique per isolate and position when run (unique values keep the search small). */
export type Planned = Op extends infer O ? (O extends { value: string } ? Omit<O, 'value'> & { size: number } : O) : never;

export const sizeArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constantFrom(2_000, 20_000) });
export const lsKey = fc.constantFrom(...LS_KEYS);
export const sid = fc.constantFrom(...SESSION_IDS);
export const skey = fc.constantFrom(...SESSION_KEYS);

/** Weighted to stress races: many writes to few keys, clear and keys next to sets, several keys of one session, long values. */
export const mixedArb: fc.Arbitrary<Planned> = fc.oneof(
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
export const wideKey = fc.constantFrom(...LS_KEYS, 'd', 'e', 'f');
export const clearRaceArb: fc.Arbitrary<Planned> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('ls.set' as const), key: wideKey, size: fc.constantFrom(0, 0, 2_000) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('ls.get' as const), key: wideKey }) },
  { weight: 3, arbitrary: fc.constant({ op: 'ls.keys' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'ls.clear' as const }) },
);

/** Writes to different keys of one session: a read-modify-write of the whole session loses some. */
export const sessionRaceArb: fc.Arbitrary<Planned> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('session.set' as const), id: fc.constant('s1'), key: skey, size: sizeArb }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('session.get' as const), id: fc.constant('s1'), key: skey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.delete' as const), id: fc.constant('s1'), key: skey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('session.clear' as const), id: fc.constant('s1') }) },
);

/** A value unique to (isolate, position); long ones repeat a letter so a torn mix of two matches neither. */
export function materialize(p: Planned, isolate: number, index: number): Op {
  if (!('size' in p)) return p;
  const { size, ...rest } = p;
  const value = `${isolate}.${index}:${String.fromCharCode(65 + ((isolate * 7 + index) % 26)).repeat(size)}`;
  return { ...rest, value } as Op;
}

export const showOps = (ops: readonly Op[]) => ops.map((o) => `    ${formatOp(o)}`).join('\n');

/** Start a pool of isolates for this check; stopped after it. */
export async function startPool(ctx: CheckContext, n: number): Promise<IsolatePool> {
  try {
    const pool = await IsolatePool.start(ctx.modulePath!, n, ctx.options.timeoutMs);
    ctx.defer(() => pool.terminate());
    return pool;
  } catch (e) {
    throw new CheckFailure('API-SHAPE', `could not load the implementation in a worker thread: ${explain(e)}`);
  }
}

/** A fresh store: one createShared() result and one dir for every isolate. */
export async function openFresh(ctx: CheckContext, pool: IsolatePool): Promise<void> {
  await pool.open(await ctx.tmpdir(), ctx.impl.createShared?.());
}

export interface CrossIsolateOptions<T> {
  runs: number;
  show: (value: T) => string;
  /** Stop starting new runs after this long (the runs done so far stand). */
  timeLimitMs: number;
  /** Races are nondeterministic: while shrinking, a candidate counts as passing only after this many clean runs. */
  retriesWhileShrinking: number;
}

/** How often a race showed: interleavings differ from one execution to the next, so a rerun may pass. */
const luck = (failures: number, executions: number) => `the failure showed in ${failures} of ${executions} executions (generating and shrinking): it depends on the interleaving, so a rerun may pass`;

/**
 * fast-check over isolates. A pool that broke (an isolate hung or crashed) ends the check with that
 * failure at once; `detail()` is the explanation of the last failing execution (the shrunk one).
 */
export async function crossIsolateProperty<T>(ctx: CheckContext, requirement: string, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, opts: CrossIsolateOptions<T>, detail: () => string | undefined, witness: () => Witness | undefined = () => undefined): Promise<void> {
  let fatal: unknown;
  let failedOnce = false;
  let executions = 0;
  let failures = 0;
  await checkProperty(
    ctx,
    requirement,
    arb,
    async (value) => {
      if (fatal !== undefined) return;
      const attempts = failedOnce ? opts.retriesWhileShrinking : 1;
      for (let a = 0; a < attempts; a++) {
        executions++;
        try {
          await predicate(value);
        } catch (e) {
          failures++;
          if (e instanceof IsolateFailure) fatal = e;
          failedOnce = true;
          throw e;
        }
      }
    },
    { runs: opts.runs, timeLimitMs: opts.timeLimitMs, show: opts.show, detail: () => [detail(), luck(failures, executions)].filter(Boolean).join('\n') || undefined, witness: () => (fatal === undefined ? witness() : undefined), message: () => (fatal !== undefined ? `an isolate failed: ${(fatal as Error).message}` : undefined) },
  );
}
