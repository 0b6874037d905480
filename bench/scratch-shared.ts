/**
 * Scratch micro-benchmark: single-thread ls.get / ls.set of reference/shared against
 * reference/memory and a raw Map. Each task runs BATCH operations so tinybench's per-call
 * overhead is amortized; the table shows ns per operation (median of samples).
 * Run: npx tsx bench/scratch-shared.ts
 */
import { Bench } from 'tinybench';
import { createMemoryStorage } from '../reference/memory.js';
import { createSharedHandle, openShared } from '../reference/shared.js';

const N = 10_000;
const BATCH = 1_000;
const keys = Array.from({ length: N }, (_, i) => `user:${i}:profile`);
const values = Array.from({ length: N }, (_, i) => `value-${i}-${'x'.repeat(i % 24)}`);

const raw = new Map<string, string>();
const memory = createMemoryStorage();
const shared = openShared(createSharedHandle());
for (let i = 0; i < N; i++) {
  raw.set(keys[i]!, values[i]!);
  memory.ls.set(keys[i]!, values[i]!);
  shared.ls.set(keys[i]!, values[i]!);
}

let sink = 0;
let cursor = 0;
function batch(op: (k: string, v: string) => void): () => void {
  return () => {
    for (let j = 0; j < BATCH; j++) {
      const i = cursor++ % N;
      op(keys[i]!, values[i]!);
    }
  };
}

const bench = new Bench({ time: 500, warmup: true });
bench
  .add('Map get', batch((k) => void (sink += raw.get(k)!.length)))
  .add('memory get', batch((k) => void (sink += (memory.ls.get(k) as string).length)))
  .add('shared get', batch((k) => void (sink += (shared.ls.get(k) as string).length)))
  .add('Map set', batch((k, v) => void raw.set(k, v)))
  .add('memory set', batch((k, v) => void memory.ls.set(k, v)))
  .add('shared set', batch((k, v) => void shared.ls.set(k, v)))
  .add('shared get missing', batch((k) => void (sink += shared.ls.get(`${k}?`) === null ? 1 : 0)))
  .add('shared session.set/get', batch((k, v) => {
    shared.session.set('sess-42', k, v);
    sink += (shared.session.get('sess-42', k) as string).length;
  }));
await bench.run();
for (const t of bench.tasks) {
  const r = t.result;
  if (r.state !== 'completed') throw new Error(`${t.name}: ${r.state}`);
  console.log(`${t.name.padEnd(26)} ${((r.latency.p50! * 1e6) / BATCH).toFixed(1).padStart(8)} ns/op  (mean ${((r.latency.mean * 1e6) / BATCH).toFixed(1)})`);
}
console.log('sink', sink > 0, shared.stats().entries);
