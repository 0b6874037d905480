/**
 * What a check is. The suite is a flat list of checks; each one tests exactly one requirement
 * (spec/requirements.ts) and fails by throwing a CheckFailure that names it.
 */
import type { Capabilities, Implementation } from '../spec/contract.js';
import type { Harness } from './harness.js';
import type { Witness } from './report/witness.js';
import type { AvoidItem } from './avoid.js';

export interface RunOptions {
  /** fast-check runs per property. */
  runs: number;
  /** fast-check seed; fixed for the whole run so every failure can be replayed. */
  seed: number;
  /** fast-check path of a failure to replay (with --seed). */
  path?: string;
  /** replayPath of fc.commands, for model-based replays. */
  replayPath?: string;
  /** Per-operation timeout in ms. */
  timeoutMs: number;
  /** CRASH-CONSISTENT: how many times to kill a durable store mid-write (default 12). */
  crashKills?: number;
  /** CRASH-POWERLOSS: how many distinct crash states to replay (default 40). */
  crashStates?: number;
  /** RESTART-KILL-*: at most this many runs, each spawning processes (default 8). */
  restartRuns?: number;
  /** CRASH-POWERLOSS: the recorder binary (default: strace on the PATH). */
  strace?: string;
  /** Copy a driver's stderr to ours as it arrives. */
  driverStderr?: boolean;
  /** Checks or requirements (IDs or prefixes) reported as skipped instead of run. */
  exclude?: readonly string[];
  /** What every check runs without (`--avoid`, expectations' "avoid"): input classes or operations, each with why. */
  avoid?: readonly AvoidItem[];
  /** Wall-clock budget of one check in ms, shrinking included (default 60 000). */
  budgetMs?: number;
}

export interface CheckContext {
  readonly impl: Implementation;
  readonly options: RunOptions;
  /** The implementation's module file, when known (needed to load it in other isolates or processes). */
  readonly modulePath?: string;
  /** Open the implementation on a new private scratch dir, behind the timeout/type-checking harness. */
  fresh(): Promise<Harness>;
  /** Restart a store: by default close() then open() on the same dir; a process driver kills and respawns. */
  restart(h: Harness): Promise<Harness>;
  /** A new private scratch folder, removed after the run. */
  tmpdir(): Promise<string>;
  /** Register cleanup to run after the check (close stores, stop workers). */
  defer(fn: () => unknown): void;
  /** What is left of the check's budget, in ms (never below 1). */
  remainingMs(): number;
  /** Every store this check opened so far (fresh and restarted), in order: a failure's diagnosis reads their logs. */
  readonly opened?: Harness[];
}

export interface Check {
  /** Unique, stable name: `<REQUIREMENT-ID>/<what>`; used by --only and in reports. */
  readonly id: string;
  /** The requirement ID this check tests. */
  readonly requirement: string;
  readonly title: string;
  /** It starts processes or runs long: the CLI starts it first, so checks on the other cores fill in around it. */
  readonly slow?: boolean;
  /** Why this check cannot run here (capability not declared, no module path, ...), or null to run. */
  skip?(caps: Capabilities, ctx: Pick<CheckContext, 'modulePath' | 'impl'>): string | null;
  /** Resolves (optionally with a one-line note for the report, e.g. how much was explored) or throws. */
  run(ctx: CheckContext): Promise<void | string>;
}

/** The check found at run time that it cannot say anything here (reported as skipped with the reason, never as passed). */
export class CheckSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckSkipped';
  }
}

/** A failed check: the requirement, what went wrong, and how to replay it. */
/** What a failure carries besides its message: the check result copies these fields. */
export interface FailureDetails {
  /** Readable shrunk counterexample (operations, one per line). */
  counterexample?: string;
  seed?: number;
  path?: string;
  replayPath?: string;
  /** True when the counterexample was shrunk to a local minimum. */
  shrunk?: boolean;
  /** Why the counterexample is not (fully) shrunk, when it is not. */
  whyNotShrunk?: string;
  /** The failing history or crash as data, for pictures (LIN-LINEARIZABLE, SHARE-VISIBLE, CRASH-CONSISTENT). */
  witness?: Witness;
  /** Its time ran out before one run completed (an API-TIMELY finding when the check had its whole budget). */
  beforeFirstRun?: boolean;
}

export class CheckFailure extends Error {
  constructor(
    readonly requirement: string,
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** Whether a check is named by one of `list` (check IDs, requirement IDs, or prefixes of either): --only and --skip. */
export function namedBy(check: Pick<Check, 'id' | 'requirement'>, list: readonly string[]): boolean {
  return list.some((o) => check.id === o || check.requirement === o || check.id.startsWith(o) || check.requirement.startsWith(o));
}
