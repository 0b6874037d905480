/**
 * A pool of isolates (worker_threads) that each load the implementation module under test, for the
 * cross-isolate checks. Every request has a timeout; a worker that hangs, crashes or exits breaks
 * the pool (it is terminated) and every later request fails fast with the reason, so a check
 * never hangs.
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { entryPath, needsTypeScriptLoader } from '../entries.js';
import { compiledModule } from '../host/compiled.js';
import type { Op, Output } from '../../spec/model.js';
import { OPERATIONS } from '../../spec/operations.js';
import type { StorageOperation } from '../linearizability/storage.js';

/** The pool cannot be used any more: a worker hung, crashed or exited. */
export class IsolateFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IsolateFailure';
  }
}

/** An operation threw or rejected inside an isolate. */
export class IsolateOperationError extends Error {
  constructor(
    readonly isolate: number,
    readonly op: Op,
    readonly error: string,
  ) {
    super(`isolate ${isolate}: ${op.op} threw ${error}`);
    this.name = 'IsolateOperationError';
  }
}

interface Reply {
  type: 'reply';
  id: number;
  ok: boolean;
  outputs?: Output[];
  /** Of a program: per operation, its call and return ticks and what it returned or threw. */
  results?: { call: number; ret: number; output: Output; error?: string }[];
  index?: number;
  error?: string;
  /** Of a poll: how many rounds of reads ran. */
  rounds?: number;
}

type Message = Reply | { type: 'ready'; id: number } | { type: 'started'; name?: string };

interface Pending {
  resolve(r: Reply): void;
  reject(e: Error): void;
  onEvent?(m: Message): void;
}

const WORKER_PATH = entryPath('isolate-worker');

/** The cell of a poll's flags that says the writes returned (worker.mjs: WRITES_RETURNED). */
const WRITES_RETURNED = 1;
/** A poll ends after this many rounds even if its stop flag is never set. */
const MAX_POLL_ROUNDS = 1_000_000;

/** The result of running one program per isolate concurrently. */
export interface ConcurrentRun {
  /** Every operation called, with ticks of the shared clock (empty for an isolate that hung or crashed). */
  history: StorageOperation[];
  /** Operations that threw: a failure by themselves (API-NO-THROW). */
  errors: IsolateOperationError[];
  /** Set when an isolate hung or crashed; the pool is then unusable. */
  broken?: string;
}

export class IsolatePool {
  private readonly workers: Worker[];
  private readonly pending: Map<number, Pending>[];
  private nextId = 1;
  private brokenReason: string | undefined;

  private constructor(
    workers: Worker[],
    readonly timeoutMs: number,
  ) {
    this.workers = workers;
    this.pending = workers.map(() => new Map());
    workers.forEach((w, i) => {
      w.on('message', (m: Message) => this.onMessage(i, m));
      w.on('error', (e) => this.break(`isolate ${i} crashed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
      w.on('exit', (code) => this.break(`isolate ${i} exited (code ${code})`));
    });
  }

  /** Start `n` isolates that load `modulePath`; rejects if one fails to load within `startTimeoutMs`. */
  static async start(modulePath: string, n: number, timeoutMs: number, startTimeoutMs = 30_000): Promise<IsolatePool> {
    // A TypeScript module compiled once per process (the CLI has compiled it already): through tsx, each isolate spent
    // about half a second of CPU loading it.
    const loaded = await compiledModule(modulePath);
    const moduleUrl = pathToFileURL(resolve(loaded)).href;
    const needsTsx = needsTypeScriptLoader(loaded);
    const workers = Array.from({ length: n }, (_, index) => new Worker(WORKER_PATH, { workerData: { moduleUrl, needsTsx, index, operations: OPERATIONS } }));
    const started = workers.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new IsolateFailure(`isolate ${i} did not load ${modulePath} within ${startTimeoutMs} ms`)), startTimeoutMs);
          w.once('message', () => (clearTimeout(timer), resolve()));
          w.once('error', (e) => (clearTimeout(timer), reject(new IsolateFailure(`isolate ${i} could not load ${modulePath}: ${e.message}`))));
          w.once('exit', (code) => (clearTimeout(timer), reject(new IsolateFailure(`isolate ${i} exited (code ${code}) while loading ${modulePath}`))));
        }),
    );
    try {
      await Promise.all(started);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new IsolatePool(workers, timeoutMs);
  }

  get size(): number {
    return this.workers.length;
  }

  get broken(): string | undefined {
    return this.brokenReason;
  }

  private onMessage(i: number, m: Message): void {
    if (m.type === 'started') return;
    const p = this.pending[i]!.get(m.id);
    if (!p) return;
    if (m.type === 'reply') {
      this.pending[i]!.delete(m.id);
      p.resolve(m);
    } else p.onEvent?.(m);
  }

  /** Mark the pool unusable, terminate every worker and fail whatever is waiting. */
  private break(reason: string): void {
    if (this.brokenReason !== undefined) return;
    this.brokenReason = reason;
    for (const w of this.workers) void w.terminate();
    for (const m of this.pending) {
      for (const p of m.values()) p.reject(new IsolateFailure(reason));
      m.clear();
    }
  }

  private request(i: number, msg: Record<string, unknown>, timeoutMs: number, what: string, onEvent?: (m: Message) => void): Promise<Reply> {
    if (this.brokenReason !== undefined) return Promise.reject(new IsolateFailure(this.brokenReason));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => this.break(`isolate ${i}: ${what} did not complete within ${timeoutMs} ms`), timeoutMs);
      this.pending[i]!.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        onEvent,
      });
      this.workers[i]!.postMessage({ ...msg, id });
    });
  }

  /** Open a store in every isolate: the same `dir` and `shared` for all, as one process would. */
  async open(dir: string, shared: unknown): Promise<void> {
    const replies = await Promise.all(this.workers.map((_, i) => this.request(i, { type: 'open', dir, shared }, this.timeoutMs, 'open()')));
    const bad = replies.findIndex((r) => !r.ok);
    if (bad >= 0) throw new IsolateFailure(`isolate ${bad}: open() threw ${replies[bad]!.error}`);
  }

  async close(): Promise<void> {
    if (this.brokenReason !== undefined) return;
    await Promise.all(this.workers.map((_, i) => this.request(i, { type: 'close' }, this.timeoutMs, 'close()')));
  }

  /** Run operations one after another in isolate `i`; rejects with IsolateOperationError when one throws. */
  async run(i: number, ops: readonly Op[], flags?: SharedArrayBuffer): Promise<Output[]> {
    const r = await this.request(i, { type: 'ops', ops, flags }, this.timeoutMs * Math.max(1, ops.length), ops.length === 1 ? ops[0]!.op : `${ops.length} operations`);
    if (!r.ok) throw new IsolateOperationError(i, ops[r.index ?? 0]!, r.error ?? 'an error');
    return r.outputs!;
  }

  /**
   * Isolate `reader` repeats `probes` while isolate `writer` runs `writes`, then runs them once more
   * after the writes returned: the outputs of that last round, and how many rounds ran. `pauseMs`
   * spaces the rounds.
   */
  async readDuring(reader: number, probes: readonly Op[], writer: number, writes: readonly Op[], pauseMs = 0): Promise<{ outputs: Output[]; rounds: number }> {
    // Two cells, as worker.mjs names them: the writes started (set by the writer), they returned (set here).
    const flags = new SharedArrayBuffer(8);
    const ready = deferred();
    const polled = this.request(reader, { type: 'poll', ops: probes, flags, maxRounds: MAX_POLL_ROUNDS, pauseMs, startTimeoutMs: this.timeoutMs }, this.timeoutMs * (writes.length + probes.length + 2), `reads of ${probes.length} operations during ${writes.length} writes`, (m) => {
      if (m.type === 'ready') ready.resolve();
    });
    polled.catch(() => undefined); // awaited below; a write that throws first must not leave it unhandled
    await Promise.race([ready.promise, polled]);
    try {
      await this.run(writer, writes, flags);
    } finally {
      const cells = new Int32Array(flags);
      Atomics.store(cells, WRITES_RETURNED, 1);
      Atomics.notify(cells, WRITES_RETURNED);
    }
    const r = await polled;
    if (!r.ok) throw new IsolateOperationError(reader, probes[r.index ?? 0]!, r.error ?? 'an error');
    return { outputs: r.outputs!, rounds: r.rounds! };
  }

  /**
   * Run `programs[k]` in isolate k, all at once: every isolate waits on a start barrier, and call and
   * return events take ticks of one shared clock. An operation still running after the per-operation
   * timeout is recorded as never returned and the pool breaks.
   */
  async runConcurrently(programs: readonly (readonly Op[])[], options: { delays?: readonly (readonly number[])[] } = {}): Promise<ConcurrentRun> {
    if (programs.length > this.workers.length) throw new RangeError(`${programs.length} programs for ${this.workers.length} isolates`);
    const ticks = new SharedArrayBuffer(8);
    const progress = new SharedArrayBuffer(4 * programs.length);
    const gate = new SharedArrayBuffer(4);
    const history: StorageOperation[] = [];
    const errors: IsolateOperationError[] = [];
    const ready = programs.map(() => deferred());
    const runs = programs.map((ops, k) =>
      this.request(
        k,
        { type: 'program', ops, delays: options.delays?.[k] ?? [], ticks, progress, gate, startTimeoutMs: this.timeoutMs },
        this.timeoutMs * (ops.length + 1),
        `a program of ${ops.length} operations`,
        (m) => {
          if (m.type === 'ready') ready[k]!.resolve();
        },
      ),
    );
    // Open the gate once every isolate waits on it (a failed isolate rejects its run instead).
    const settled = Promise.allSettled(runs);
    await Promise.race([Promise.all(ready.map((d) => d.promise)), settled]);
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    const watchdog = this.watch(programs, progress);
    const outcomes = await settled;
    clearInterval(watchdog);
    outcomes.forEach((o, k) => {
      if (o.status !== 'fulfilled' || !o.value.results) return;
      o.value.results.forEach((r, i) => {
        const input = programs[k]![i]!;
        if (r.error !== undefined) errors.push(new IsolateOperationError(k, input, r.error));
        history.push({ client: k, input, output: r.output, call: r.call, ret: r.ret });
      });
    });
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) return { history, errors, broken: failed.reason instanceof Error ? failed.reason.message : String(failed.reason) };
    const bad = outcomes.findIndex((o) => o.status === 'fulfilled' && !o.value.ok);
    if (bad >= 0) return { history, errors, broken: `isolate ${bad}: ${(outcomes[bad] as PromiseFulfilledResult<Reply>).value.error}` };
    return { history, errors };
  }

  /** Break the pool when an isolate's operation runs longer than the per-operation timeout. */
  private watch(programs: readonly (readonly Op[])[], progress: SharedArrayBuffer): NodeJS.Timeout {
    const p = new Int32Array(progress);
    const since = programs.map(() => ({ op: -1, at: 0 }));
    return setInterval(() => {
      const now = performance.now();
      programs.forEach((ops, k) => {
        const done = Atomics.load(p, k);
        if (done >= ops.length) return;
        const s = since[k]!;
        if (s.op !== done) {
          s.op = done;
          s.at = now;
        } else if (now - s.at > this.timeoutMs) {
          this.break(`isolate ${k}: ${ops[done]!.op} did not complete within ${this.timeoutMs} ms (a deadlock or a hang)`);
        }
      });
    }, Math.max(10, Math.min(100, this.timeoutMs / 10)));
  }

  async terminate(): Promise<void> {
    this.brokenReason ??= 'terminated';
    for (const m of this.pending) {
      for (const p of m.values()) p.reject(new IsolateFailure('terminated'));
      m.clear();
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
