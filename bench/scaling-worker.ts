/**
 * One reader isolate for the scaling measurement: opens the store (the same `dir` and `shared`
 * value as the main thread for a shared store, or its own filled copy), waits; then,
 * on each { run: ms } request reads uniformly random keys for that long and reports how many
 * reads it completed; 'stop' closes the store and ends the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { Implementation } from '../spec/contract.js';
import { makeDataset, valueFor } from './dataset.js';
import { mulberry32, uniform } from './random.js';

export interface ScalingWorkerInput {
  modulePath: string;
  dir: string;
  shared: unknown;
  keys: number;
  valueBytes: number;
  /** Fill a private copy first (per-isolate mode) instead of reading the main thread's store. */
  fill: boolean;
  seed: number;
}

export interface ScalingWorkerOutput {
  reads: number;
  elapsedMs: number;
  checksum: number;
}

const input = workerData as ScalingWorkerInput;
const port = parentPort!;
const impl = ((await import(pathToFileURL(input.modulePath).href)) as { default: Implementation }).default;
const storage = await impl.open({ dir: input.dir, shared: input.shared });
const data = makeDataset(input.keys, input.valueBytes);
if (input.fill) for (let i = 0; i < data.keys; i++) await storage.ls.set(data.lsKeys[i], valueFor(data, i));
const probe = storage.ls.get(data.lsKeys[0]);
const isAsync = typeof (probe as { then?: unknown } | null)?.then === 'function';
await probe;

const choose = uniform(mulberry32(input.seed));
const picks = Int32Array.from({ length: 1 << 14 }, () => choose(data.keys));
// Serve "run" requests until told to stop: the same isolates are reused for the 1- and 2-isolate rounds.
port.on('message', async (m: { run: number } | 'stop') => {
  if (m === 'stop') {
    await storage.close?.();
    port.close();
    return;
  }
  let reads = 0;
  let checksum = 0;
  const start = performance.now();
  const end = start + m.run;
  let now = start;
  while (now < end) {
    for (let j = 0; j < 256; j++) {
      const r = storage.ls.get(data.lsKeys[picks[reads++ & 0x3fff]!]);
      const v = isAsync ? await r : r;
      checksum += typeof v === 'string' ? v.length : 0;
    }
    now = performance.now();
  }
  port.postMessage({ reads, elapsedMs: now - start, checksum } satisfies ScalingWorkerOutput);
});
port.postMessage('ready');
