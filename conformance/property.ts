/**
 * Running a fast-check property as a check: fixed seed, replayable path, and a failure that names
 * its requirement with a readable counterexample.
 */
import type { Witness } from './report/witness.js';
import fc from 'fast-check';
import { CheckFailure, CheckSkipped, type Check, type CheckContext } from './check.js';
import { MissingMethod, OperationThrew, OperationTimeout, ProcessCrashed, OwnRuleSymptom, WrongResultType, type Harness } from './harness.js';
import { earlierDefect } from './diagnose.js';
import { MEMBER_NAMES } from './arbitraries.js';
import { discardingAvoided, notJudgedIfAvoided } from './avoid.js';

/** A property's predicate throws this (or anything) to fail; the message is the report's first line. */
export class Mismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Mismatch';
  }
}

export interface PropertyOptions<T> {
  /** Render a counterexample readably (default: fc.stringify). */
  show?: (value: T) => string;
  /** Override the number of runs (expensive properties run fewer). */
  runs?: number;
  /** Stop at the first failure, without shrinking (default: only when replaying a path); say why in `whyNotShrunk`. */
  noShrink?: boolean;
  /** Why this property does not shrink (with noShrink). */
  whyNotShrunk?: string;
  /** Stop starting new runs after this long; the runs done so far stand. */
  timeLimitMs?: number;
  /** More text after the counterexample (e.g. the explanation of the last failing execution). */
  detail?: () => string | undefined;
  /** A message that replaces the explanation of the error (e.g. a broken isolate pool). */
  message?: () => string | undefined;
  /** fast-check's replayPath for the counterexample (model-based commands). */
  replayPath?: (value: T) => string | undefined;
  /** The failing history as data, for pictures (the last failing execution: the shrunk one). */
  witness?: () => Witness | undefined;
}

/** Explain an error thrown inside a predicate in the terms of the report. */
export function explain(e: unknown): string {
  if (e instanceof Mismatch) return e.message;
  if (e instanceof OperationTimeout) return `timeout: ${e.message}`;
  if (e instanceof WrongResultType) return returnedPrototypeMember(e) ? `a key named like an Object.prototype member read back the member: ${e.message}` : `wrong result type: ${e.message}`;
  if (e instanceof OperationThrew || e instanceof MissingMethod || e instanceof ProcessCrashed || e instanceof OwnRuleSymptom) return e.message;
  if (e instanceof Error) return `the implementation threw ${e.name}: ${e.message}`;
  return `the implementation threw a non-Error value: ${String(e)}`;
}

function isTimeout(e: unknown): boolean {
  return e instanceof OperationTimeout || (e instanceof Error && e.cause instanceof OperationTimeout);
}

/** A hang or a dead process: every shrinking attempt would wait out the timeout or start a process that dies again. */
function stopsShrinking(e: unknown): boolean {
  return isTimeout(e) || e instanceof ProcessCrashed;
}

/** Delegates to `inner` but stops shrinking once `stop()` says so. */
class StopShrinking<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly inner: fc.Arbitrary<T>,
    private readonly stop: () => boolean,
  ) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    return this.inner.generate(mrng, biasFactor);
  }
  canShrinkWithoutContext(value: unknown): value is T {
    return this.inner.canShrinkWithoutContext(value);
  }
  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.stop() ? fc.Stream.nil() : this.inner.shrink(value, context);
  }
}

/**
 * A property that does not shrink a hang or a crash: after the first operation timeout or dead store process,
 * shrinking stops (each attempt would wait out the timeout, or kill a process, again) and it is reported with the
 * input that hit it.
 */
export function timeoutAwareProperty<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => Promise<void>): fc.IAsyncProperty<[T]> {
  let timedOut = false;
  return fc.asyncProperty(new StopShrinking(arb, () => timedOut), async (v) => {
    try {
      await predicate(v);
    } catch (e) {
      if (stopsShrinking(e)) timedOut = true;
      throw e;
    }
  });
}

/** A get of a member name that returned the inherited member itself (`ls.get("toString")` → a function): an object-backed store. */
function returnedPrototypeMember(e: WrongResultType): boolean {
  if ((e.op !== 'ls.get' && e.op !== 'session.get') || (typeof e.result !== 'function' && typeof e.result !== 'object') || e.result === null) return false;
  return (e.args ?? []).some((a) => typeof a === 'string' && (MEMBER_NAMES as readonly string[]).includes(a));
}

/** A hang fails API-TIMELY, a wrong result type API-RESULT-TYPE, an uncaught throw on string arguments API-NO-THROW, whichever check ran into them. */
export function requirementFor(error: unknown, requirement: string): string {
  if (error instanceof OperationTimeout) return 'API-TIMELY';
  if (error instanceof MissingMethod) return 'API-SHAPE';
  // A dead store process is a finding of its own, not of the check that happened to run.
  if (error instanceof ProcessCrashed) return 'API-NO-THROW';
  // A member of Object.prototype read back as a value: the store took a key for a property name.
  if (error instanceof WrongResultType && returnedPrototypeMember(error)) return 'STR-PROTO-NAMES';
  // A get that returns undefined breaks every check that reads back; credit the one rule it breaks.
  if (error instanceof WrongResultType) return 'API-RESULT-TYPE';
  // A symptom read through elsewhere (a removal's throw, undefined for an absent entry), met in the check of its own rule.
  if (error instanceof OwnRuleSymptom) return error.rule;
  // A valid call that throws before the check reached its own operation: one rule, not every check's.
  if (error instanceof OperationThrew) return 'API-NO-THROW';
  return requirement;
}

/**
 * The one way a property becomes a check result: run it with the check's seed, path and runs, and
 * turn a failure into a CheckFailure of `requirement` (or of API-TIMELY / API-RESULT-TYPE, by what
 * was thrown) with a readable counterexample and what replays it.
 */
export async function checkProperty<T>(
  ctx: CheckContext,
  requirement: string,
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  opts: PropertyOptions<T> = {},
): Promise<string | undefined> {
  const { seed, path } = ctx.options;
  const numRuns = Math.max(1, Math.round(opts.runs ?? ctx.options.runs));
  // The budget bounds generation and shrinking alike: fast-check stops there and keeps the smallest failure found.
  const budget = ctx.remainingMs();
  const limitMs = Math.max(1, Math.min(budget, opts.timeLimitMs ?? Infinity));
  // The stores opened by the last failing execution: the shrunk counterexample's, for the diagnosis.
  let failingRuns: readonly Harness[] = [];
  const recorded = async (value: T) => {
    const before = ctx.opened?.length ?? 0;
    try {
      await discardingAvoided(() => predicate(value));
    } catch (e) {
      failingRuns = ctx.opened?.slice(before) ?? [];
      throw e;
    }
  };
  const details = await fc.check(timeoutAwareProperty(arb, recorded), { seed, path, numRuns, endOnFailure: opts.noShrink === true || path !== undefined, interruptAfterTimeLimit: limitMs, markInterruptAsFailure: false });
  notJudgedIfAvoided(details);
  const byBudget = details.interrupted && limitMs === budget;
  const ended = byBudget ? `budget (${Math.round(budget / 1000)} s)` : `time limit (${Math.round(limitMs / 1000)} s)`;
  // fast-check reports a run cut off by the time limit as a failure without a counterexample.
  const cutOff = details.failed && details.interrupted && details.counterexample === null;
  // Nothing was judged, and that is a finding about time: one run takes longer than the check may.
  if (cutOff && details.numRuns === 0) throw new CheckFailure('API-TIMELY', `${requirement}: the ${ended} ended it before its first run completed, so nothing was checked: one run takes longer than that here (--budget raises it)`, { beforeFirstRun: true });
  if (cutOff || (!details.failed && byBudget)) return `the ${ended} ended it after ${details.numRuns} of ${numRuns} runs`;
  if (!details.failed) return undefined;
  const value = details.counterexample?.[0] as T;
  const error = details.errorInstance;
  const shown = value === undefined && !details.counterexample ? undefined : (opts.show ?? fc.stringify)(value);
  const counterexample = [shown, opts.detail?.()].filter((x) => x !== undefined).join('\n') || undefined;
  const witness = opts.witness?.();
  const { blamed, message } = await blame(ctx, requirementFor(error, requirement), opts.message?.() ?? explain(error), error, failingRuns);
  throw new CheckFailure(blamed, message, {
    counterexample,
    seed: details.seed,
    path: details.counterexamplePath ?? undefined,
    replayPath: value === undefined ? undefined : opts.replayPath?.(value),
    ...shrinkState(opts, error, details.interrupted, budget),
    ...(witness ? { witness } : {}),
  });
}

/** A disagreement the check saw may come from an earlier operation that broke another rule: name that one (conformance/diagnose.ts). */
async function blame(ctx: Pick<CheckContext, 'fresh'>, requirement: string, message: string, error: unknown, runs: readonly Harness[]): Promise<{ blamed: string; message: string }> {
  if (!(error instanceof Mismatch)) return { blamed: requirement, message };
  const d = await earlierDefect(ctx, requirement, runs).catch(() => null);
  if (d === null) return { blamed: requirement, message };
  return { blamed: d.requirement, message: `${d.what} (found by replaying this ${requirement} check's failing run step by step; the check itself saw: ${message})` };
}

/** Whether the counterexample is shrunk, and if not, why. A replayed --path lands on the shrunk input it names. */
function shrinkState(opts: { noShrink?: boolean; whyNotShrunk?: string }, error: unknown, interrupted: boolean, budgetMs: number): { shrunk: boolean; whyNotShrunk?: string } {
  if (isTimeout(error)) return { shrunk: false, whyNotShrunk: 'each attempt would wait out the timeout' };
  if (error instanceof ProcessCrashed) return { shrunk: false, whyNotShrunk: 'each attempt would kill the store\'s process again' };
  if (opts.noShrink) return { shrunk: false, whyNotShrunk: opts.whyNotShrunk ?? 'this check reports the first failing input' };
  if (interrupted) return { shrunk: false, whyNotShrunk: `the check's budget (${Math.round(budgetMs / 1000)} s) ran out while shrinking: the smallest failing input found by then` };
  return { shrunk: true };
}

/** Run once (an example test) and turn any error into a failure of `requirement` (or of the earlier defect it ran into). */
export async function checkExample(ctx: Pick<CheckContext, 'fresh' | 'opened'>, requirement: string, name: string, body: () => Promise<void>): Promise<void> {
  const before = ctx.opened?.length ?? 0;
  try {
    await discardingAvoided(body);
  } catch (e) {
    if (e instanceof CheckFailure) throw e;
    const { blamed, message } = await blame(ctx, requirementFor(e, requirement), `${name}: ${explain(e)}`, e, ctx.opened?.slice(before) ?? []);
    throw new CheckFailure(blamed, message);
  }
}

/** A check that runs a property over fresh stores: each run opens a new store, runs `body`, closes it. */
export function propertyCheck<T>(spec: {
  id: string;
  requirement: string;
  title: string;
  arb: fc.Arbitrary<T>;
  body: (h: Harness, value: T, ctx: CheckContext) => Promise<void>;
  show?: (value: T) => string;
  /** Fraction of the configured runs (expensive properties run fewer). */
  runsFactor?: number;
  skip?: Check['skip'];
  slow?: boolean;
}): Check {
  return {
    id: spec.id,
    requirement: spec.requirement,
    title: spec.title,
    ...(spec.slow ? { slow: true } : {}),
    skip: spec.skip,
    run: (ctx) =>
      checkProperty(ctx, spec.requirement, spec.arb, (v) => withFresh(ctx, (h) => spec.body(h, v, ctx)), {
        show: spec.show,
        runs: ctx.options.runs * (spec.runsFactor ?? 1),
      }),
  };
}

/** A check that runs one example on a fresh store. */
export function exampleCheck(spec: { id: string; requirement: string; title: string; body: (h: Harness, ctx: CheckContext) => Promise<void>; skip?: Check['skip'] }): Check {
  return {
    id: spec.id,
    requirement: spec.requirement,
    title: spec.title,
    skip: spec.skip,
    run: (ctx) => checkExample(ctx, spec.requirement, spec.title, () => withFresh(ctx, (h) => spec.body(h, ctx))),
  };
}

/** Open a fresh store for one run and always close it. */
export async function withFresh<T>(ctx: { fresh(): Promise<Harness> }, body: (h: Harness) => Promise<T>): Promise<T> {
  const h = await ctx.fresh();
  try {
    return await body(h);
  } finally {
    await h.close().catch(() => {});
  }
}
