// A whole-suite run of a store through the CLI gate, exactly as an implementer runs it.
import { expect } from 'vitest';
import { recorderProblem } from '../../conformance/powerloss/record.js';
import { cliJsonAsync, failedIds, type JsonReport } from './cli.js';

/** A whole-suite run through the CLI: minutes on a loaded 2-core machine, never a hang (the CLI has its own timeouts). */
export const CONFORMS_TIMEOUT = 600_000;

export const SEED = process.env.TITAN_STORAGE_SEED ?? String((Math.random() * 2 ** 31) | 0);

/**
 * npm start (scripts/main.ts, also run in CI) checks reference/memory, shared, file and the Python driver with the
 * whole suite; the tests check the other stores and ways to run one. A store that rewrites, fsyncs or makes a round
 * trip per write spends most of a run on 10 000+ sets (reference/redis.test.ts and npm start's stores run them): those
 * skip them, visibly. Their power-loss check runs with 8 crash states (`powerLossCheck`).
 */
export const SKIP_MANY_WRITES = ['--skip', 'LS-MANY-ENTRIES,API-TIMELY/many-entries', '--crash-states', '8'];

/** Check a store; on failure the message carries the CLI's whole human report (requirement, counterexample, replay). */
export async function expectConforms(args: string[]): Promise<JsonReport> {
  const r = await cliJsonAsync(['check', ...args, '--seed', SEED], CONFORMS_TIMEOUT);
  expect(failedIds(r.report), r.stdout).toEqual([]);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const notRun = r.report.requirements.filter((q) => q.status === 'not-run');
  expect(notRun.map((q) => q.id)).toEqual([]);
  return r.report;
}

/** Whether strace can record here; CI has it (test/powerloss/check.test.ts fails there without it). */
export const recorderRuns = recorderProblem() === null;

/** CRASH-POWERLOSS's one check in a report. */
export function powerLossCheck(report: JsonReport): { status: string; message?: string; reason?: string; note?: string; counterexample?: string; replay?: string } {
  return report.requirements.find((q) => q.id === 'CRASH-POWERLOSS')!.checks[0]!;
}
