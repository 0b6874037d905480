/**
 * Runs the suite in child processes, one per core, and survives whatever the implementation does to them: a
 * crash (native segfault, process.exit) or a synchronous hang (no heartbeat) fails that child's check with a
 * clear message, and a fresh child continues with the next one.
 */
import type { Capabilities } from '../../spec/contract.js';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryPath, loaderArgs, needsTypeScriptLoader } from '../entries.js';
import { DEFAULT_BUDGET_MS, type CheckResult } from '../runner.js';
import type { PlannedCheck, RunRequest, SupervisorMessage, WorkerMessage } from './messages.js';
import { prebuild } from '../prebuild.js';
import { classOf, type AvoidItem } from '../avoid.js';
import { convertCall } from '../../spec/model.js';
import { isOpName } from '../driver/protocol.js';

export interface SupervisedRun {
  implementation: { name: string; capabilities: Capabilities };
  plan: PlannedCheck[];
  results: CheckResult[];
}

/** Loading failed (module missing, not an Implementation, driver handshake failed): exit code 2. */
export class FatalLoadError extends Error {}

/** Extra silence allowed beyond the per-operation timeout before the child is declared hung. */
const HANG_GRACE_MS = 3000;
/** How often the runner looks at each child. */
const WATCHDOG_MS = 250;
/** Loading (TypeScript compilation, native libraries) may block for a while before the first check. */
const STARTUP_MS = 60_000;
const STDERR_KEEP = 64_000;
const TAIL_LINES = 12;
/** Lines of a fatal message and its stack. */
const STACK_LINES = 12;

/**
 * One readable stack: the first line that names a fatal condition (V8, Rust, libc, an assertion) and the lines that
 * follow it (its stack), not the runtime's own traces after it; without such a line, the last lines.
 */
export function stderrSummary(text: string): string {
  const lines = text.trim().split('\n');
  const fatal = lines.findIndex((l) => /fatal|panicked|segmentation|aborted|assert|error/i.test(l));
  if (fatal === -1 || fatal >= lines.length - TAIL_LINES) return lines.slice(-TAIL_LINES).join('\n');
  const rest = lines.length - fatal - STACK_LINES;
  return rest <= 0 ? lines.slice(fatal).join('\n') : [...lines.slice(fatal, fatal + STACK_LINES), `… (${rest} more lines)`].join('\n');
}

/** The last call the child started (conformance/cli/worker.ts writes it before each call), or undefined. */
function lastCall(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n')[0] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * After a crash in `call` (as the harness describes it: `ls.set("a\u0000", "v")`), what the next checks run without:
 * the input class of its strings (NUL, a lone surrogate, …), so they judge their own rules instead of dying on the
 * same input. Nothing for plain strings, or a call not described in full.
 */
export function avoidAfterCrash(call: string | undefined): AvoidItem | undefined {
  const m = call === undefined ? null : /^(\w+\.\w+)\((.*)\)$/.exec(call);
  if (!m || !isOpName(m[1])) return undefined;
  let args: unknown;
  try {
    args = JSON.parse(`[${m[2]}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return undefined;
  const converted = convertCall({ op: m[1], args });
  const cls = converted.ok ? classOf(converted.op) : null;
  return cls ? { avoid: { kind: 'class', name: cls }, because: 'API-NO-THROW' } : undefined;
}

/** A check may run this much past its budget (a last run, shrinking's last step, the diagnosis) before it is stopped. */
export function overrunGraceMs(budgetMs: number): number {
  return Math.max(5_000, budgetMs / 2);
}

interface ChildOutcome {
  kind: 'done' | 'crashed' | 'hung' | 'fatal' | 'over-budget';
  message?: string;
  /** The last call the implementation was given before it hung or died. */
  call?: string;
  /** The plan index the child was running (or had been handed) when it hung or died. */
  index?: number;
  /** What the child ran without. */
  avoid: AvoidItem[];
  /** Whether the child wrote each call down before making it (so `call` names the one in flight). */
  recorded: boolean;
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The run was stopped through its AbortSignal (watch mode: a file changed). */
export class RunAborted extends Error {}

/** A worker process started with its temp dir (removed when it exits) and the file it writes each call to. */
interface Worker {
  child: ChildProcess;
  childTmp: string;
  callFile: string;
  execArgv: string[];
}

/** Start a worker: it loads the suite and waits for its run request. */
function startWorker(execArgv: string[]): Worker {
  // Everything the child and its driver processes write to the temp dir goes here, removed when it exits,
  // also when the implementation crashed it.
  const childTmp = mkdtempSync(join(tmpdir(), 'titan-storage-run-'));
  const callFile = join(childTmp, 'call-in-flight');
  const child = fork(entryPath('cli-worker'), [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, TITAN_STORAGE_CHILD: '1', TMPDIR: childTmp, TITAN_STORAGE_CALL_FILE: callFile },
  });
  return { child, childTmp, callFile, execArgv };
}

/** A spare worker not used: killed, its temp dir removed. */
function discard(w: Worker): void {
  w.child.once('exit', () => rmSync(w.childTmp, { recursive: true, force: true }));
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  else rmSync(w.childTmp, { recursive: true, force: true });
}

/** SIGKILL every child still alive. */
function killEvery(children: Iterable<ChildProcess>): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** How many children run checks at once by default: one per core, at most 4 (each loads the implementation). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export async function supervise(request: Omit<RunRequest, 'type'> & { jobs?: number }, onResult: (r: CheckResult, plan: PlannedCheck[]) => void, onReady?: (run: SupervisedRun) => void, signal?: AbortSignal): Promise<SupervisedRun> {
  // Stopped by Ctrl-C or a CI timeout: kill the children, let their exits remove their temp dirs, then exit.
  let stopping: NodeJS.Signals | undefined;
  const running = new Set<ChildProcess>();
  const killAll = () => killEvery(running);
  const onSignal = (sig: NodeJS.Signals) => {
    stopping = sig;
    if (running.size) killAll();
    else process.exit(SIGNAL_EXIT[sig] ?? 1);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  signal?.addEventListener('abort', killAll);
  const compiled = request.module ? mkdtempSync(join(tmpdir(), 'titan-storage-compiled-')) : undefined;
  // Also when a signal ends the process (onSignal exits from the child's exit handler).
  const removeCompiled = () => compiled && rmSync(compiled, { recursive: true, force: true });
  process.on('exit', removeCompiled);
  // The workers load the suite while the module compiles; the loader they need is known only after (a module that
  // does not compile is loaded through tsx), so they start with the likely one and are replaced if it was wrong.
  const likely = loaderArgs(request.module && needsTypeScriptLoader(request.module) ? undefined : request.module);
  let spares: Worker[] = Array.from({ length: request.jobs ?? 1 }, () => startWorker(likely));
  for (const w of spares) running.add(w.child);
  try {
    const prebuilt = request.module && compiled ? await prebuild(request.module, compiled) : undefined;
    const load = prebuilt && prebuilt.module !== request.module ? { module: prebuilt.module, host: prebuilt.host } : undefined;
    if (signal?.aborted) throw new RunAborted();
    const lanes = new Lanes({ ...request, load }, request.jobs ?? 1, onResult, onReady, running, () => stopping, () => signal?.aborted ?? false);
    lanes.useSpares(spares, loaderArgs(load?.module ?? request.module));
    spares = [];
    return await lanes.run();
  } finally {
    for (const w of spares) {
      running.delete(w.child);
      discard(w);
    }
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    signal?.removeEventListener('abort', killAll);
    process.off('exit', removeCompiled);
    removeCompiled();
  }
}

/**
 * Children that take the plan's checks one at a time from one queue: the first listed (watch mode's failures), then the
 * slow ones, then the rest in order. A child that hangs or dies fails the check it had, and a fresh one takes its place.
 */
class Lanes {
  private readonly result: SupervisedRun = { implementation: undefined as never, plan: [], results: [] };
  private queue: number[] | undefined;
  /** Input classes that killed a child: every later child runs without them (reported as judged without them). */
  private readonly avoid: AvoidItem[];
  private fatal: FatalLoadError | RunAborted | undefined;
  /** Crashes a check ran into before it was run again without their input class, by plan index. */
  private readonly ranInto = new Map<number, CheckResult[]>();
  /**
   * Children write each call down before making it only after a child hung or died without doing so: that check then
   * runs again in one that does, to name the call (seeded, it meets it again). Writing costs a syscall per call.
   */
  private recordCalls = false;
  /** A crash or hang not named yet, by plan index: reported as it was if the rerun that should name it does not meet it. */
  private readonly unnamed = new Map<number, CheckResult>();

  constructor(
    private readonly request: Omit<RunRequest, 'type'>,
    private readonly jobs: number,
    private readonly onResult: (r: CheckResult, plan: PlannedCheck[]) => void,
    private readonly onReady: ((run: SupervisedRun) => void) | undefined,
    private readonly running: Set<ChildProcess>,
    private readonly stopping: () => NodeJS.Signals | undefined,
    private readonly aborted: () => boolean,
  ) {
    this.avoid = [...(request.options.avoid ?? [])];
  }

  async run(): Promise<SupervisedRun> {
    await Promise.all(Array.from({ length: Math.max(1, this.jobs) }, () => this.lane()));
    if (this.aborted()) throw new RunAborted();
    if (this.fatal) throw this.fatal;
    // Every lane gave up (its children died before they were handed a check): what is left fails, never vanishes.
    for (let i = 0; i < this.result.plan.length; i++) {
      if (!this.finished.has(i)) this.failCheck(i, { kind: 'crashed', message: 'not run: the processes running the implementation kept dying before they were handed a check', avoid: this.avoid, recorded: true });
    }
    return this.result;
  }

  private stopAll(e: FatalLoadError | RunAborted): void {
    this.fatal ??= e;
    killEvery(this.running);
  }

  /** Results told in the plan's order, whichever child finished first, so the live output is the same with any --jobs. */
  private readonly finished = new Map<number, CheckResult>();
  private told = 0;

  private record(index: number, r: CheckResult): void {
    const missed = this.unnamed.get(index);
    if (missed) {
      // The rerun that should have named the call did not meet the crash or hang again: it stands as it was.
      this.unnamed.delete(index);
      this.noteRanInto(index, { ...missed, message: `${missed.message} (its rerun, recording every call, did not meet it again)` });
    }
    const before = this.ranInto.get(index);
    this.finished.set(index, before ? { ...r, ranInto: [...before, ...(r.ranInto ?? [])] } : r);
    for (let next = this.finished.get(this.told); next; next = this.finished.get(++this.told)) {
      this.result.results.push(next);
      this.onResult(next, this.result.plan);
    }
  }

  /** One child after another until the queue is empty. */
  private async lane(): Promise<void> {
    // A child that died before it was handed anything twice in a row: the others carry on without this lane.
    let idleDeaths = 0;
    while (!this.fatal && !this.aborted() && (this.queue === undefined || this.queue.length > 0)) {
      const outcome = await this.child();
      if (this.aborted() || this.fatal) return;
      // Done with what it could take (a rerun that names a call may be left for a child that records).
      if (outcome.kind === 'done') continue;
      if (outcome.kind === 'fatal') return this.stopAll(new FatalLoadError(outcome.message));
      if (this.result.plan.length === 0) return this.stopAll(new FatalLoadError(`the implementation could not be loaded: ${outcome.message}`));
      // The check in progress fails (or the next one, if it died between checks); the queue goes on without it.
      const index = outcome.index ?? this.queue!.shift();
      if (index === undefined) return;
      if (outcome.index === undefined && ++idleDeaths > 1) return;
      if (outcome.index !== undefined) idleDeaths = 0;
      this.failCheck(index, outcome);
    }
  }

  private failCheck(index: number, outcome: ChildOutcome): void {
    const c = this.result.plan[index]!;
    if (!outcome.recorded && (outcome.kind === 'crashed' || outcome.kind === 'hung') && !this.unnamed.has(index)) {
      this.recordCalls = true;
      this.unnamed.set(index, this.failure(c, outcome));
      return void this.queue!.unshift(index);
    }
    const skip = outcome.kind === 'crashed' ? avoidAfterCrash(outcome.call) : undefined;
    const same = (a: AvoidItem) => JSON.stringify(a.avoid) === JSON.stringify(skip?.avoid);
    const known = skip !== undefined && this.avoid.some(same);
    // Another child died of the same input class meanwhile: this check runs again without it, as it would have in turn.
    if (known && !outcome.avoid.some(same)) return void this.queue!.unshift(index);
    this.unnamed.delete(index);
    const r = this.failure(c, outcome);
    if (skip && !known) {
      this.avoid.push(skip);
      // The check judges its own rule in a fresh child without that input, the crash reported with it (under its rule).
      if (r.requirement !== c.requirement) {
        this.noteRanInto(index, r);
        return void this.queue!.unshift(index);
      }
    }
    this.record(index, r);
  }

  private noteRanInto(index: number, r: CheckResult): void {
    this.ranInto.set(index, [...(this.ranInto.get(index) ?? []), r]);
  }

  private failure(c: PlannedCheck, outcome: ChildOutcome): CheckResult {
    // A hang or a check too slow for its budget is API-TIMELY's whichever check hit it; a dead process is a finding of its
    // own (API-NO-THROW: a valid call lost its caller's request, and every other one in flight), not the check's.
    const requirement = outcome.kind === 'hung' || outcome.kind === 'over-budget' ? 'API-TIMELY' : 'API-NO-THROW';
    const during = outcome.call ? `during ${c.id}, in ${outcome.call} (the last call it was given)` : `during ${c.id}`;
    // The seed replays the check (--only, --seed) up to the same call: the supervisor cannot know fast-check's path.
    return { id: c.id, requirement, ...(requirement !== c.requirement ? { ranIntoFrom: c.requirement } : {}), title: c.title, status: 'failed', message: `${during}: ${outcome.message}`, seed: this.request.options.seed, durationMs: 0 };
  }

  /** The queue's order, set from the first plan a child reports. */
  private planned(plan: PlannedCheck[]): number[] {
    const first = new Set(this.request.first ?? []);
    const order = plan.map((_, i) => i);
    const group = (i: number) => (first.has(plan[i]!.id) ? 0 : plan[i]!.slow ? 1 : 2);
    return order.sort((a, b) => group(a) - group(b) || a - b);
  }

  /** Run one child until it is done with the queue, hangs or dies. */
  /** Workers started while the module compiled (`spares`, when their loader turned out right): the first child of each lane. */
  private spares: Worker[] = [];

  useSpares(spares: Worker[], execArgv: string[]): void {
    for (const w of spares) {
      if (w.child.exitCode === null && w.child.signalCode === null && JSON.stringify(w.execArgv) === JSON.stringify(execArgv)) this.spares.push(w);
      else {
        this.running.delete(w.child);
        discard(w);
      }
    }
  }

  private child(): Promise<ChildOutcome> {
    const { request } = this;
    const avoid = [...this.avoid];
    const recorded = this.recordCalls;
    return new Promise<ChildOutcome>((resolve) => {
      const { child, childTmp, callFile } = this.spares.shift() ?? startWorker(loaderArgs(request.load?.module ?? request.module));
      this.running.add(child);
      let stderr = '';
      const keep = (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      /** The plan index handed to this child and not yet answered. */
      let handed: number | undefined;
      // Settled when the child is gone and its temp dir removed (then the run may end).
      let outcome: ChildOutcome | undefined;
      const finish = (o: Omit<ChildOutcome, 'avoid' | 'recorded'>) => {
        if (outcome) return;
        if (o.kind === 'hung' || o.kind === 'crashed' || o.kind === 'over-budget') {
          o.index = handed;
          if (o.kind !== 'over-budget' && recorded) o.call = lastCall(callFile);
        }
        outcome = { ...o, avoid, recorded };
        clearInterval(watchdog);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      const handNext = () => {
        // A check rerun to name the call that hung or killed a worker goes to a worker that records calls.
        const k = this.queue!.findIndex((i) => recorded || !this.unnamed.has(i));
        handed = k === -1 ? undefined : this.queue!.splice(k, 1)[0];
        const m: SupervisorMessage = handed === undefined ? { type: 'stop' } : { type: 'check', index: handed };
        checkStarted = Date.now();
        child.send(m);
      };
      let lastHeard = Date.now();
      let childReady = false;
      const silence = request.options.timeoutMs + HANG_GRACE_MS;
      // A rerun that is to name the call of a hang already found waits out no grace: the call that blocks the event loop
      // past the operation timeout is the one (its report keeps the first run's figure).
      const namingHang = () => recorded && handed !== undefined && this.unnamed.get(handed)?.requirement === 'API-TIMELY';
      const budgetMs = request.options.budgetMs ?? DEFAULT_BUDGET_MS;
      const cap = budgetMs + overrunGraceMs(budgetMs);
      let checkStarted = 0;
      let lastTick = Date.now();
      const watchdog = setInterval(() => {
        // Time this process did not run (a machine that stalled every process, the runner included) is no silence of
        // the child's: only what the runner was awake to hear counts.
        const now = Date.now();
        const late = now - lastTick - WATCHDOG_MS;
        lastTick = now;
        if (late > WATCHDOG_MS) lastHeard += late;
        const allowed = !childReady ? Math.max(STARTUP_MS, silence) : namingHang() ? request.options.timeoutMs : silence;
        if (now - lastHeard > allowed) finish({ kind: 'hung', message: `no sign of life for ${Math.round(silence / 1000)} s: the implementation blocked the event loop (a synchronous hang); the runner killed the process` });
        else if (handed !== undefined && now - checkStarted > cap) finish({ kind: 'over-budget', message: `the check ran ${Math.round(cap / 1000)} s, past its budget of ${Math.round(budgetMs / 1000)} s and the grace after it: its operations or restarts are too slow to finish in time here; the runner stopped it (--budget sets the budget)` });
      }, WATCHDOG_MS);
      child.on('message', (raw) => {
        lastHeard = Date.now();
        const m = raw as WorkerMessage;
        if (m.type === 'ready') {
          childReady = true;
          if (this.queue === undefined) {
            this.result.implementation = m.implementation;
            this.result.plan = m.plan;
            this.queue = this.planned(m.plan);
            this.onReady?.(this.result);
          }
          handNext();
        } else if (m.type === 'start') checkStarted = Date.now();
        else if (m.type === 'result') {
          handed = undefined;
          this.record(m.index, m.result);
          handNext();
        } else if (m.type === 'fatal') finish({ kind: 'fatal', message: m.message });
        else if (m.type === 'done') finish({ kind: 'done' });
      });
      child.on('exit', (code, signal) => {
        this.running.delete(child);
        const sig = this.stopping();
        if (sig) {
          rmSync(childTmp, { recursive: true, force: true });
          // The last child gone: every temp dir is removed.
          if (this.running.size === 0) process.exit(SIGNAL_EXIT[sig] ?? 1);
          return;
        }
        const tail = stderr.trim() ? `\nits last output:\n${stderrSummary(stderr)}` : '';
        finish({ kind: 'crashed', message: `the process running the implementation died (${signal ? `signal ${signal}` : `exit code ${code}`})${tail}` });
        rmSync(childTmp, { recursive: true, force: true });
        resolve(outcome!);
      });
      child.send({ ...request, options: { ...request.options, avoid }, ...(recorded ? { recordCalls: true } : {}), type: 'run' } satisfies RunRequest);
    });
  }
}
