/**
 * One measured task on tinybench. Each tinybench iteration times a batch of `batch` calls
 * between two clock reads and records the mean per call (`overriddenDuration`), so the
 * ~50-100 ns cost of reading the clock is spread over the batch instead of dominating
 * sub-microsecond operations. Work before and after the batch (choosing keys, restoring
 * removed entries) is untimed but counts towards the wall-clock budget
 * (`overriddenIterationCost`). Every result is folded into a checksum so no call is dead code.
 */
import { Bench, type FnReturnedObject } from 'tinybench';
import type { Timing } from './types.js';

/** The calls of one batch: step(j) performs call j of the batch and returns its result. */
export type Step = (j: number) => unknown;

export interface BatchBody {
  /** Largest batch this body supports (a remove batch can only remove keys that exist). */
  maxBatch: number;
  /** Untimed, before each batch: prepare and return the step for this batch. */
  begin(count: number): Step | Promise<Step>;
  /** Untimed, after each batch: undo what the batch changed, when needed. */
  end?(count: number): void | Promise<void>;
}

export interface TaskOptions {
  isAsync: boolean;
  timeMs: number;
  warmupMs: number;
  /** Aim for batches at least this long, so clock reads are a negligible part of them. */
  targetBatchNs: number;
  maxBatch: number;
  minSamples: number;
  /** The calls are a mix of kinds (a workload), not one operation. */
  mixed?: boolean;
}

/**
 * Batches of at least this many calls of a mix hold the kinds in about their proportions, so
 * the median of batch means is a fair typical cost; it is robust to the long preemptions of a
 * busy machine, which inflate a mean.
 */
export const MIXED_MIN_BATCH = 20;

let checksum = 0;
export const getChecksum = (): number => checksum;

const weigh = (r: unknown): number => (typeof r === 'string' ? r.length : Array.isArray(r) ? r.length : 1);
const now = () => performance.now();
const gc = (globalThis as { gc?: () => void }).gc;
export const gcAvailable = typeof gc === 'function';

async function timeBatch(body: BatchBody, count: number, isAsync: boolean): Promise<number> {
  const step = await body.begin(count);
  let s = 0;
  let t0: number;
  let t1: number;
  if (isAsync) {
    t0 = now();
    for (let j = 0; j < count; j++) s += weigh(await step(j));
    t1 = now();
  } else {
    t0 = now();
    for (let j = 0; j < count; j++) s += weigh(step(j));
    t1 = now();
  }
  checksum = (checksum + s) % 1e15;
  await body.end?.(count);
  return t1 - t0;
}

/** Pick the batch size from a few growing probe batches (they double as a first warm-up). */
async function chooseBatch(body: BatchBody, o: TaskOptions): Promise<number> {
  const cap = Math.max(1, Math.min(o.maxBatch, body.maxBatch));
  let count = 1;
  for (;;) {
    const ms = await timeBatch(body, count, o.isAsync);
    const perCallNs = (ms * 1e6) / count;
    if (ms * 1e6 >= o.targetBatchNs / 4 || count >= cap) return Math.max(1, Math.min(cap, Math.ceil(o.targetBatchNs / Math.max(perCallNs, 1))));
    count = Math.min(cap, count * 8);
  }
}

export async function measureTask(name: string, body: BatchBody, o: TaskOptions): Promise<Timing> {
  gc?.();
  const batch = await chooseBatch(body, o);
  const bench = new Bench({ time: o.timeMs, iterations: 5, warmupTime: o.warmupMs, warmupIterations: 2, throws: true });
  // The tinybench task is always async because begin/end may await (refilling, async stores);
  // the timed loop itself awaits each call only when the store is async.
  bench.add(name, async (): Promise<FnReturnedObject> => {
    const start = now();
    const ms = await timeBatch(body, batch, o.isAsync);
    return { overriddenDuration: ms / batch, overriddenIterationCost: now() - start };
  }, { async: true });
  const [task] = await bench.run();
  const r = task!.result;
  if (r.state !== 'completed') throw new Error(`task ${name} ended ${r.state}${r.state === 'errored' ? `: ${r.error.message}` : ''}`);
  const l = r.latency;
  const ns = (ms: number) => ms * 1e6;
  const typicalNs = o.mixed && batch < MIXED_MIN_BATCH ? ns(l.mean) : ns(l.p50);
  return {
    batch,
    samples: l.samplesCount,
    meanNs: ns(l.mean),
    p50Ns: ns(l.p50),
    p99Ns: ns(l.p99),
    minNs: ns(l.min),
    maxNs: ns(l.max),
    rmePct: l.rme,
    typicalNs,
    opsPerSec: 1e9 / typicalNs,
  };
}
