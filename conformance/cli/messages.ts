/** Messages between the CLI supervisor and the child process that runs the checks. */
import type { Capabilities } from '../../spec/contract.js';
import type { RunOptions } from '../check.js';
import type { CheckResult } from '../runner.js';

export interface RunRequest {
  type: 'run';
  /** Absolute path of the implementation module (absent with a driver). */
  module?: string;
  /** A driver command line (spec/PROTOCOL.md). */
  driver?: string;
  isolation: 'inline' | 'process';
  /** What the processes import instead of `module`: its compiled form and the compiled host (conformance/prebuild.ts). */
  load?: { module: string; host?: string };
  options: RunOptions;
  only: string[];
  /** Check IDs to run before the others (watch mode: the last run's failures); the plan lists them first. */
  first?: string[];
  /** Write every call to TITAN_STORAGE_CALL_FILE before making it (a syscall per call, so only after a crash or hang). */
  recordCalls?: boolean;
}

/** After `ready`, the supervisor hands a child one check of the plan at a time, and `stop` when none is left. */
export type SupervisorMessage = { type: 'check'; index: number } | { type: 'stop' };

export interface PlannedCheck {
  id: string;
  requirement: string;
  title: string;
  /** Position in the suite's order, which reports keep whatever order the checks ran in. */
  rank: number;
  /** Started first (Check.slow). */
  slow?: boolean;
}

export type WorkerMessage =
  | { type: 'ready'; implementation: { name: string; capabilities: Capabilities }; plan: PlannedCheck[] }
  | { type: 'fatal'; message: string }
  | { type: 'start'; index: number }
  | { type: 'result'; index: number; result: CheckResult }
  | { type: 'beat' }
  | { type: 'done' };
