/**
 * Runs checks against an Implementation in this process: builds each check's context (fresh dirs,
 * timeouts, restarts), decides skips from declared capabilities, and turns every outcome into a
 * CheckResult. It never throws for what an implementation does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Implementation, Storage } from '../spec/contract.js';
import { requirement } from '../spec/requirements.js';
import { CheckFailure, CheckSkipped, namedBy, type Check, type FailureDetails, type CheckContext, type RunOptions } from './check.js';
import { Harness, withTimeout } from './harness.js';
import { explain } from './property.js';
import { isDriverImplementation } from './driver/client.js';
import { Avoidance, Avoided, describeAvoidance, nextAvoid, sweepsLeftovers, withAvoidance, type AvoidItem } from './avoid.js';

/** not-judged: the check ran but could not judge its own requirement (a defect of another rule in the way, or every run needed an avoided input). */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'not-judged';

export interface CheckResult extends FailureDetails {
  id: string;
  requirement: string;
  title: string;
  status: CheckStatus;
  /** Why it was skipped. */
  reason?: string;
  /** What a passing check explored, when it says (e.g. how many crash states). */
  note?: string;
  /** Why it failed (first line of the report). */
  message?: string;
  /** The requirement this check is about, when its failure is reported under another one it ran into. */
  ranIntoFrom?: string;
  /** Not judged: the requirement whose defect kept this check from judging its own, or the option that excluded what it needed. */
  blockedBy?: string;
  /** What this result was judged without (inputs, operations, symptoms) and the defect or option each steps around. */
  avoided?: AvoidItem[];
  /** Defects of other rules this check ran into before it judged its own (each reported under its rule); the gate lists them there. */
  ranInto?: CheckResult[];
  durationMs: number;
}

export const DEFAULT_OPTIONS: RunOptions = { runs: 60, seed: 0, timeoutMs: 5000 };

/** A check's wall-clock budget unless RunOptions.budgetMs says otherwise: generation, shrinking and restarts. */
export const DEFAULT_BUDGET_MS = 60_000;

/** Requirements about argument conversion: through a driver, the client converts before sending (spec/PROTOCOL.md). */
const CLIENT_SIDE = new Set(['VAL-COERCE', 'VAL-REJECT', 'VAL-REJECT-ATOMIC']);

/** Why a check cannot run for this implementation (or is excluded by --skip), or null. */
export function skipReason(check: Check, impl: Implementation, modulePath?: string, exclude?: readonly string[]): string | null {
  if (exclude && namedBy(check, exclude)) return `excluded by --skip ${exclude.join(',')}`;
  const applies = requirement(check.requirement).appliesTo?.(impl.capabilities) ?? null;
  if (applies) return `not applicable: ${applies}`;
  if (CLIENT_SIDE.has(check.requirement) && isDriverImplementation(impl)) {
    return 'through a driver process, arguments are converted by the runner-side client before sending, so this would test the client, not the implementation (run the module inline to check it)';
  }
  return check.skip?.(impl.capabilities, { impl, modulePath }) ?? null;
}

/** A storage that can be killed (a process driver) restarts by SIGKILL instead of close(). */
type Killable = Storage & { kill?: () => Promise<void> };

/** Attempts of one check: the first, and one more per defect of another rule it ran into that can be stepped around. */
const MAX_ATTEMPTS = 4;
/** Less budget than this left after an attempt: no further one (it could not finish a run; the check stays not judged). */
const MIN_ATTEMPT_MS = 5_000;

/**
 * Run a check and judge its own requirement past the defects of other rules it runs into: after a failure
 * reported under another rule, it runs again avoiding that defect's input class or tolerating its symptom
 * (conformance/avoid.ts), until it judges its own rule or nothing more can be stepped around. The defects it
 * ran into come back in `ranInto`; `onRetry` is told before each further attempt (the supervisor's clock).
 */
export async function runCheck(impl: Implementation, check: Check, options: RunOptions, modulePath?: string, onRetry?: () => void): Promise<CheckResult> {
  const items: AvoidItem[] = [...(options.avoid ?? [])];
  const ranInto: CheckResult[] = [];
  // The attempts share the check's budget: a check that meets one slow defect after another stays within it.
  const deadline = performance.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  for (let n = 1; ; n++) {
    const avoidance = new Avoidance(items, check.requirement);
    const r = await attempt(impl, check, n === 1 ? options : { ...options, budgetMs: deadline - performance.now() }, modulePath, avoidance);
    // What was left of the budget could not finish a run: the check is not judged behind the last defect, not slow.
    if (n > 1 && r.beforeFirstRun) return finish(ranInto.pop()!, items.slice(0, -1), ranInto);
    const left = deadline - performance.now() > MIN_ATTEMPT_MS;
    const next = r.status === 'failed' && r.ranIntoFrom && n < MAX_ATTEMPTS && left ? nextAvoid(avoidance, r.requirement) : null;
    if (!next || avoidance.has(next)) return finish(r, items, ranInto);
    ranInto.push(items.length ? { ...r, avoided: [...items] } : r);
    items.push({ avoid: next, because: r.requirement });
    onRetry?.();
  }
}

/** The last attempt's result with what it was judged without and what it ran into before. */
function finish({ beforeFirstRun: _, ...r }: CheckResult, items: readonly AvoidItem[], ranInto: CheckResult[]): CheckResult {
  const avoided = items.length && r.status !== 'skipped' ? { avoided: [...items] } : {};
  const without = items.length && r.status === 'passed' ? `judged without ${describeAvoidance(items)}` : undefined;
  const note = [r.note, without].filter(Boolean).join(' · ') || undefined;
  return { ...r, ...avoided, ...(note ? { note } : {}), ...(ranInto.length ? { ranInto } : {}) };
}

async function attempt(impl: Implementation, check: Check, options: RunOptions, modulePath: string | undefined, avoidance: Avoidance): Promise<CheckResult> {
  const base = { id: check.id, requirement: check.requirement, title: check.title };
  const started = performance.now();
  const reason = skipReason(check, impl, modulePath, options.exclude);
  if (reason) return { ...base, status: 'skipped', reason, durationMs: 0 };

  const root = await mkdtemp(join(tmpdir(), 'titan-storage-'));
  const cleanups: (() => unknown)[] = [];
  const opened: Harness[] = [];
  let shared: unknown;
  let sharedMade = false;
  const open = async (dir: string): Promise<Harness> => {
    if (!sharedMade && typeof impl.createShared === 'function') shared = impl.createShared();
    sharedMade = true;
    const storage = await withTimeout(impl.open(shared === undefined ? { dir } : { dir, shared }), options.timeoutMs, () => `open({ dir: ${JSON.stringify(dir)} })`);
    const h = new Harness(storage, dir, options.timeoutMs);
    opened.push(h);
    return h;
  };
  const ctx: CheckContext = {
    impl,
    options,
    modulePath,
    tmpdir: () => mkdtemp(join(root, 'd-')),
    fresh: async () => {
      const h = await open(await mkdtemp(join(root, 'store-')));
      // A store whose opens share one state (OPEN-FRESH-EMPTY's defect, tolerated): judged from an emptied one.
      if (sweepsLeftovers()) await h.sweepLeftovers();
      return h;
    },
    restart: async (h) => {
      const s = h.storage as Killable;
      if (typeof s.kill === 'function') await withTimeout(s.kill(), options.timeoutMs, () => 'kill()');
      else await h.close();
      return open(h.dir);
    },
    defer: (fn) => void cleanups.push(fn),
    remainingMs: () => Math.max(1, started + (options.budgetMs ?? DEFAULT_BUDGET_MS) - performance.now()),
    opened,
  };
  try {
    const note = await withAvoidance(avoidance, () => check.run(ctx));
    return { ...base, status: 'passed', ...(note ? { note } : {}), durationMs: performance.now() - started };
  } catch (e) {
    if (e instanceof Avoided) return { ...base, status: 'not-judged', reason: `not judged: ${e.message}`, blockedBy: e.item.because, durationMs: performance.now() - started };
    if (e instanceof CheckSkipped) return { ...base, status: 'skipped', reason: e.reason, durationMs: performance.now() - started };
    const f = e instanceof CheckFailure ? e : new CheckFailure(check.requirement, `the check could not complete: ${explain(e)}`);
    return {
      ...base,
      requirement: f.requirement,
      ...(f.requirement !== check.requirement ? { ranIntoFrom: check.requirement } : {}),
      status: 'failed',
      message: f.message,
      ...f.details,
      durationMs: performance.now() - started,
    };
  } finally {
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {});
    await rm(root, { recursive: true, force: true }).catch(() => {});
  }
}
