/**
 * Runs the suite in a child process and survives whatever the implementation does to it: a crash
 * (native segfault, process.exit) or a synchronous hang (no heartbeat) fails the current check
 * with a clear message, and a fresh child continues with the next one.
 */
import type { Capabilities } from '../../spec/contract.js';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryPath, loaderArgs } from '../entries.js';
import { DEFAULT_BUDGET_MS, type CheckResult } from '../runner.js';
import type { PlannedCheck, RunRequest, WorkerMessage } from './messages.js';

export interface SupervisedRun {
  implementation: { name: string; capabilities: Capabilities };
  plan: PlannedCheck[];
  results: CheckResult[];
}

/** Loading failed (module missing, not an Implementation, driver handshake failed): exit code 2. */
export class FatalLoadError extends Error {}

/** Extra silence allowed beyond the per-operation timeout before the child is declared hung. */
const HANG_GRACE_MS = 3000;
/** Loading (TypeScript compilation, native libraries) may block for a while before the first check. */
const STARTUP_MS = 60_000;
const STDERR_KEEP = 64_000;
const TAIL_LINES = 12;

/** The first line that names a fatal condition (V8, Rust, libc) and the last lines: a long trace must not hide the message. */
export function stderrSummary(text: string): string {
  const lines = text.trim().split('\n');
  const tail = lines.slice(-TAIL_LINES);
  const fatal = lines.findIndex((l) => /fatal|panicked|segmentation|aborted|error/i.test(l));
  if (fatal === -1 || fatal >= lines.length - TAIL_LINES) return tail.join('\n');
  return [...lines.slice(fatal, fatal + 3), `… (${lines.length - TAIL_LINES - fatal - 3} lines)`, ...tail].join('\n');
}

/** A check may run this much past its budget (a last run, shrinking's last step, the diagnosis) before it is stopped. */
export function overrunGraceMs(budgetMs: number): number {
  return Math.max(5_000, budgetMs / 2);
}

interface ChildOutcome {
  kind: 'done' | 'crashed' | 'hung' | 'fatal' | 'over-budget';
  message?: string;
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

export async function supervise(request: Omit<RunRequest, 'type' | 'startAt'>, onResult: (r: CheckResult, plan: PlannedCheck[]) => void, onReady?: (run: SupervisedRun) => void): Promise<SupervisedRun> {
  // Stopped by Ctrl-C or a CI timeout: kill the child, let its exit remove its temp dir, then exit.
  let stopping: NodeJS.Signals | undefined;
  let running: ChildProcess | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    stopping = sig;
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
    else process.exit(SIGNAL_EXIT[sig] ?? 1);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    return await superviseRuns(request, onResult, onReady, (c) => (running = c), () => stopping);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

async function superviseRuns(request: Omit<RunRequest, 'type' | 'startAt'>, onResult: (r: CheckResult, plan: PlannedCheck[]) => void, onReady: ((run: SupervisedRun) => void) | undefined, started: (c: ChildProcess) => void, stopping: () => NodeJS.Signals | undefined): Promise<SupervisedRun> {
  const run: SupervisedRun = { implementation: undefined as never, plan: [], results: [] };
  let next = 0;
  for (;;) {
    let current = -1;
    const outcome = await new Promise<ChildOutcome>((resolve) => {
      // Everything the child and its driver processes write to the temp dir goes here, removed when it exits,
      // also when the implementation crashed it.
      const childTmp = mkdtempSync(join(tmpdir(), 'titan-storage-run-'));
      const child: ChildProcess = fork(entryPath('cli-worker'), [], {
        execArgv: loaderArgs(request.module),
        serialization: 'advanced',
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...process.env, TITAN_STORAGE_CHILD: '1', TMPDIR: childTmp },
      });
      started(child);
      let stderr = '';
      const keep = (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      let settled = false;
      const finish = (o: ChildOutcome) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        resolve(o);
      };
      let lastHeard = Date.now();
      let childReady = false;
      const silence = request.options.timeoutMs + HANG_GRACE_MS;
      const budgetMs = request.options.budgetMs ?? DEFAULT_BUDGET_MS;
      const cap = budgetMs + overrunGraceMs(budgetMs);
      let checkStarted = 0;
      const watchdog = setInterval(() => {
        if (Date.now() - lastHeard > (childReady ? silence : Math.max(STARTUP_MS, silence))) finish({ kind: 'hung', message: `no sign of life for ${Math.round(silence / 1000)} s: the implementation blocked the event loop (a synchronous hang); the runner killed the process` });
        else if (current >= 0 && Date.now() - checkStarted > cap) finish({ kind: 'over-budget', message: `the check ran ${Math.round(cap / 1000)} s, past its budget of ${Math.round(budgetMs / 1000)} s and the grace after it: its operations or restarts are too slow to finish in time here; the runner stopped it (--budget sets the budget)` });
      }, 250);
      child.on('message', (raw) => {
        lastHeard = Date.now();
        const m = raw as WorkerMessage;
        if (m.type === 'ready') {
          childReady = true;
          const first = run.plan.length === 0;
          run.implementation = m.implementation;
          run.plan = m.plan;
          if (first) onReady?.(run);
        } else if (m.type === 'start') {
          current = m.index;
          checkStarted = Date.now();
        }
        else if (m.type === 'result') {
          current = -1;
          next = m.index + 1;
          run.results.push(m.result);
          onResult(m.result, run.plan);
        } else if (m.type === 'fatal') finish({ kind: 'fatal', message: m.message });
        else if (m.type === 'done') finish({ kind: 'done' });
      });
      child.on('exit', (code, signal) => {
        rmSync(childTmp, { recursive: true, force: true });
        const sig = stopping();
        if (sig) process.exit(SIGNAL_EXIT[sig] ?? 1);
        const tail = stderr.trim() ? `\nlast output of the process:\n${stderrSummary(stderr)}` : '';
        finish({ kind: 'crashed', message: `the process running the implementation died (${signal ? `signal ${signal}` : `exit code ${code}`})${tail}` });
      });
      child.send({ ...request, type: 'run', startAt: next } satisfies RunRequest);
    });
    if (outcome.kind === 'done') return run;
    if (outcome.kind === 'fatal') throw new FatalLoadError(outcome.message);
    if (run.plan.length === 0) throw new FatalLoadError(`the implementation could not be loaded: ${outcome.message}`);
    // The check in progress (or the next one, if it died between checks) fails; continue after it.
    const index = current >= 0 ? current : next;
    if (index >= run.plan.length) return run;
    const c = run.plan[index]!;
    // A hang or a check too slow for its budget is a failure of API-TIMELY whichever check hit it; a crash fails the check's own requirement.
    const requirement = outcome.kind === 'hung' || outcome.kind === 'over-budget' ? 'API-TIMELY' : c.requirement;
    const result: CheckResult = { id: c.id, requirement, title: c.title, status: 'failed', message: `during ${c.id}: ${outcome.message}`, durationMs: 0 };
    run.results.push(result);
    onResult(result, run.plan);
    next = index + 1;
    if (next >= run.plan.length) return run;
  }
}
