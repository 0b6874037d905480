// One isolate of the concurrency checks: a worker_thread that loads an implementation module and
// runs storage operations for the main thread (conformance/isolates/pool.ts).
//
// Plain JavaScript on purpose: the worker must start without a TypeScript loader. A TypeScript
// implementation is loaded through tsx's in-thread require hook (~0.5 s per worker), falling back
// to tsx's ESM loader (~1.2 s per worker: it starts a hooks thread) for what require cannot load
// (top-level await, ESM-only dependencies).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

// `operations` is spec/operations.ts's table: which namespace, method and arguments each operation has.
const { moduleUrl, needsTsx, index, operations } = workerData;

async function load() {
  if (!needsTsx) return import(moduleUrl);
  const require = createRequire(import.meta.url);
  try {
    require('tsx/cjs/api').register();
    return require(fileURLToPath(moduleUrl));
  } catch {
    (await import('tsx/esm/api')).register();
    return import(moduleUrl);
  }
}
const impl = (await load()).default;

/** @type {import('../../spec/contract.js').Storage | undefined} */
let storage;


function invoke(o) {
  const { namespace, method, args } = operations[o.op];
  const target = storage[namespace];
  return target[method](...args.map((a) => o[a]));
}

const isThenable = (x) => x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function';

/** Results cross threads by structured clone: copy arrays so a live internal array is not an issue here. */
const cloneable = (x) => (Array.isArray(x) ? [...x] : x);

function describeError(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : `a non-Error value: ${String(e)}`;
}

/** Operations one after another: their outputs, or the index and error of the first that threw. */
async function runOps(ops) {
  const outputs = [];
  for (const [i, o] of ops.entries()) {
    try {
      const r = invoke(o);
      outputs.push(cloneable(isThenable(r) ? await r : r));
    } catch (e) {
      return { index: i, error: describeError(e) };
    }
  }
  return { outputs };
}

async function closeStorage() {
  const s = storage;
  storage = undefined;
  if (s && typeof s.close === 'function') await s.close();
}

/**
 * Run a program against the shared clock. `ticks` (BigInt64Array[1]) is the process-wide clock: every
 * call and return takes a tick with Atomics.add, so events of all isolates are totally ordered.
 * `progress` (Int32Array) holds, per isolate, the number of operations done at [index], so the main
 * thread can tell which operation hangs. `gate` (Int32Array[1]) opens
 * the start barrier. `delays[i]` spins before operation i to vary the interleaving.
 */
async function runProgram({ id, ops, delays, ticks, progress, gate, startTimeoutMs }) {
  const t = new BigInt64Array(ticks);
  const p = new Int32Array(progress);
  const g = new Int32Array(gate);
  parentPort.postMessage({ type: 'ready', id });
  if (Atomics.wait(g, 0, 0, startTimeoutMs) === 'timed-out') throw new Error(`the start barrier did not open within ${startTimeoutMs} ms`);
  // Results are sent once at the end: a message per operation would stagger the isolates.
  const results = [];
  for (let i = 0; i < ops.length; i++) {
    spin(delays[i] ?? 0);
    const call = Number(Atomics.add(t, 0, 1n));
    let output;
    let error;
    try {
      const r = invoke(ops[i]);
      output = isThenable(r) ? await r : r;
    } catch (e) {
      error = describeError(e);
    }
    const ret = Number(Atomics.add(t, 0, 1n));
    Atomics.store(p, index, i + 1);
    results.push({ call, ret, output: cloneable(output), error });
  }
  parentPort.postMessage({ type: 'reply', id, ok: true, results });
}

/** Cells of the Int32Array shared by a poll, the writes it overlaps and the main thread. */
const WRITES_STARTED = 0;
const WRITES_RETURNED = 1;

function signal(cells, i) {
  Atomics.store(cells, i, 1);
  Atomics.notify(cells, i);
}

/**
 * Repeat `ops` until the writes of another isolate have returned (flags[WRITES_RETURNED]), then once
 * more: reads that span the writes, then reads that start after they returned. Only that last
 * round's outputs are returned. Rounds after the first wait for the writes to start, then `pauseMs`
 * apart: a reader that reads in the middle of a write and not again until after it is the one that
 * finds a value cached mid-write.
 */
async function poll({ id, ops, flags, maxRounds, pauseMs, startTimeoutMs }) {
  const s = new Int32Array(flags);
  parentPort.postMessage({ type: 'ready', id });
  let rounds = 0;
  let outputs = [];
  for (let last = false; !last; ) {
    if (rounds === 1 && Atomics.wait(s, WRITES_STARTED, 0, startTimeoutMs) === 'timed-out') throw new Error(`the writes did not start within ${startTimeoutMs} ms`);
    last = Atomics.load(s, WRITES_RETURNED) === 1 || rounds >= maxRounds;
    const r = await runOps(ops);
    if (r.error !== undefined) return void parentPort.postMessage({ type: 'reply', id, ok: false, ...r });
    outputs = r.outputs;
    rounds++;
    if (pauseMs > 0 && !last) Atomics.wait(s, WRITES_RETURNED, 0, pauseMs);
    // Let the event loop run now and then: an asynchronous store may need it to make progress.
    if (rounds % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  parentPort.postMessage({ type: 'reply', id, ok: true, outputs, rounds });
}

function spin(n) {
  let x = 0;
  for (let k = 0; k < n; k++) x += k;
  return x;
}

parentPort.on('message', async (msg) => {
  const { id } = msg;
  try {
    switch (msg.type) {
      case 'open':
        await closeStorage();
        storage = await impl.open(msg.shared === undefined ? { dir: msg.dir } : { dir: msg.dir, shared: msg.shared });
        parentPort.postMessage({ type: 'reply', id, ok: true });
        break;
      case 'ops': {
        // A reader polling alongside (poll below) paces its reads from this moment.
        if (msg.flags) signal(new Int32Array(msg.flags), WRITES_STARTED);
        const r = await runOps(msg.ops);
        parentPort.postMessage({ type: 'reply', id, ok: r.error === undefined, ...r });
        break;
      }
      case 'program':
        await runProgram(msg);
        break;
      case 'poll':
        await poll(msg);
        break;
      case 'close':
        await closeStorage();
        parentPort.postMessage({ type: 'reply', id, ok: true });
        break;
    }
  } catch (e) {
    parentPort.postMessage({ type: 'reply', id, ok: false, error: describeError(e) });
  }
});

parentPort.postMessage({ type: 'started', name: impl?.name });
