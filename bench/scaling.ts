/**
 * Read scaling across worker isolates: the total read throughput of 1 and then 2 worker
 * threads reading at the same time. For a store shared by the process, the workers read the
 * one store the main thread filled; for the per-isolate memory store each worker reads its own
 * copy (the ideal case: no sharing at all). On a 2-core machine 2 isolates can at best double.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScalingWorkerInput, ScalingWorkerOutput } from './scaling-worker.js';
import { REPO_ROOT } from './stores.js';
import type { ScalingResult } from './types.js';

export interface ScalingTarget {
  store: string;
  mode: ScalingResult['mode'];
  modulePath: string;
  env?: Record<string, string>;
  dir: string;
  shared: unknown;
}

const WORKER_URL = pathToFileURL(join(REPO_ROOT, 'bench/scaling-worker.ts')).href;
const TSX_API = import.meta.resolve('tsx/esm/api');
/** Worker threads do not inherit tsx's loader: register it in the worker, then load the TypeScript worker module. */
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.entry); });`;
const START_TIMEOUT_MS = 60_000;

/** A started reader isolate; `ready` resolves once it has opened (and filled) its store. */
class Reader {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private waiting: { resolve: (o: ScalingWorkerOutput) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(input: ScalingWorkerInput, env: Record<string, string> | undefined) {
    this.worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...input, tsxApi: TSX_API, entry: WORKER_URL }, env: { ...process.env, ...env } });
    let onReady!: () => void;
    let onFail!: (e: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (onFail = reject)));
    const fail = (e: Error) => {
      this.failure ??= e;
      onFail(e);
      this.waiting?.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`scaling worker exited with code ${code}`)));
    this.worker.on('message', (m: 'ready' | ScalingWorkerOutput) => (m === 'ready' ? onReady() : this.waiting?.resolve(m)));
    this.ready.catch(() => {});
  }

  run(ms: number): Promise<ScalingWorkerOutput> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage({ run: ms });
    });
  }
}

/** Total read throughput with each number of isolates in `counts`, reusing the same started isolates. */
export async function measureScaling(t: ScalingTarget, counts: number[], keys: number, valueBytes: number, durationMs: number, onRound: (isolates: number) => void): Promise<ScalingResult[]> {
  const readers = Array.from({ length: Math.max(...counts) }, (_, i) =>
    new Reader({ modulePath: join(REPO_ROOT, t.modulePath), dir: t.mode === 'shared' ? t.dir : join(t.dir, `isolate-${i}`), shared: t.shared, keys, valueBytes, fill: t.mode === 'per-isolate', seed: 100 + i }, t.env),
  );
  const timeout = setTimeout(() => readers.forEach((r) => void r.worker.terminate()), START_TIMEOUT_MS + counts.length * durationMs * 2);
  try {
    await Promise.all(readers.map((r) => r.ready));
    // Warm every isolate's JIT together before any measured round.
    await Promise.all(readers.map((r) => r.run(Math.max(100, durationMs / 2))));
    const results: ScalingResult[] = [];
    for (const isolates of counts) {
      onRound(isolates);
      const outs = await Promise.all(readers.slice(0, isolates).map((r) => r.run(durationMs)));
      const perIsolate = outs.map((o) => (o.reads / o.elapsedMs) * 1e3);
      results.push({ store: t.store, mode: t.mode, isolates, keys, durationMs, totalOpsPerSec: perIsolate.reduce((a, b) => a + b, 0), perIsolateOpsPerSec: perIsolate });
    }
    return results;
  } finally {
    clearTimeout(timeout);
    await Promise.all(readers.map((r) => r.worker.terminate()));
  }
}
