/**
 * The environment variables a run reads, in this file only: each becomes a RunOptions field, and
 * everything downstream reads RunOptions. Flags (the CLI's, registerSuite's options) win over these.
 */
import type { RunOptions } from './check.js';
import { parseAvoid } from './avoid.js';

type Counted = 'runs' | 'seed' | 'timeoutMs' | 'crashKills' | 'crashStates' | 'restartRuns';

/** Variable → the RunOptions field it sets (an integer; non-negative except the seed). */
export const COUNT_VARIABLES: Readonly<Record<string, Counted>> = {
  TITAN_STORAGE_RUNS: 'runs',
  TITAN_STORAGE_SEED: 'seed',
  TITAN_STORAGE_TIMEOUT: 'timeoutMs',
  TITAN_CRASH_KILLS: 'crashKills',
  TITAN_CRASH_STATES: 'crashStates',
  TITAN_RESTART_RUNS: 'restartRuns',
};

/** The options the environment sets; unset or malformed variables set nothing. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<RunOptions> {
  const options: Partial<RunOptions> = {};
  for (const [name, field] of Object.entries(COUNT_VARIABLES)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const n = Number(text);
    if (Number.isInteger(n) && (n >= 0 || field === 'seed')) options[field] = n;
  }
  if (env.TITAN_STRACE) options.strace = env.TITAN_STRACE;
  if (env.TITAN_DRIVER_STDERR === '1') options.driverStderr = true;
  // Input classes or op:<operation> every check runs without (what --avoid sets); a malformed list sets nothing.
  if (env.TITAN_STORAGE_AVOID) {
    try {
      options.avoid = parseAvoid(env.TITAN_STORAGE_AVOID.split(','), '--avoid');
    } catch {
      // an unknown name: left to the flag's clear error
    }
  }
  return options;
}

/** The same options as variables, for a child run (the coverage run's vitest) to read back. */
export function optionsToEnv(options: Partial<RunOptions>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, field] of Object.entries(COUNT_VARIABLES)) if (options[field] !== undefined) env[name] = String(options[field]);
  if (options.strace) env.TITAN_STRACE = options.strace;
  if (options.driverStderr) env.TITAN_DRIVER_STDERR = '1';
  const avoid = options.avoid?.filter((i) => i.because === '--avoid').map((i) => (i.avoid.kind === 'class' ? i.avoid.name : i.avoid.kind === 'op' ? `op:${i.avoid.op}` : ''));
  if (avoid?.length) env.TITAN_STORAGE_AVOID = avoid.filter(Boolean).join(',');
  return env;
}
