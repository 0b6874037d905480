// A whole-suite run of a store through the CLI gate, exactly as an implementer runs it.
import { expect } from 'vitest';
import { cliJsonAsync, failedIds } from './cli.js';

/** A whole-suite run through the CLI: minutes on a loaded 2-core machine, never a hang (the CLI has its own timeouts). */
export const CONFORMS_TIMEOUT = 600_000;

export const SEED = process.env.TITAN_STORAGE_SEED ?? String((Math.random() * 2 ** 31) | 0);

/**
 * npm start (scripts/main.ts, also run in CI) checks reference/memory, shared, file and the Python driver with the
 * whole suite; the tests check the other stores and ways to run one. A store that rewrites, fsyncs or makes a round
 * trip per write spends most of a run on 10 000+ sets (reference/redis.test.ts and npm start's stores run them), and
 * power loss has its own tests (test/powerloss/check.test.ts) for the same stores: those skip them, visibly.
 */
export const SKIP_HEAVY = ['--skip', 'LS-MANY-ENTRIES,API-TIMELY/many-entries,CRASH-POWERLOSS'];

/** Check a store; on failure the message carries the CLI's whole human report (requirement, counterexample, replay). */
export async function expectConforms(args: string[]): Promise<void> {
  const r = await cliJsonAsync(['check', ...args, '--seed', SEED], CONFORMS_TIMEOUT);
  expect(failedIds(r.report), r.stdout).toEqual([]);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const notRun = r.report.requirements.filter((q) => q.status === 'not-run');
  expect(notRun.map((q) => q.id)).toEqual([]);
}
