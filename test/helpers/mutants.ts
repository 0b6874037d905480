// Run the suite against a mutant (mutants/) and collect what it failed.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MUTANTS, type MutantEntry } from '../../mutants/index.js';
import { DEFAULT_OPTIONS, runCheck } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import { flatten } from '../../conformance/gate.js';
import { namedBy } from '../../conformance/check.js';
import type { Implementation } from '../../spec/contract.js';
import { cliJsonAsync, failedIds, ROOT } from './cli.js';
import { recorderProblem } from '../../conformance/powerloss/record.js';

export interface Outcome {
  /** Whether the run rejected the mutant (the CLI's exit status 1). */
  rejected: boolean;
  failed: string[];
  /** Every failed check's message and counterexample. */
  text: string;
  output: string;
}

/**
 * Check a mutant against the checks named by `only` (all when empty), `runs` per property. A mutant that hangs
 * synchronously goes through `titan-storage check` (only its supervised child survives that), and so does a race
 * mutant (its window is timing: inside a loaded, coverage-instrumented test worker it was missed once in three runs,
 * in a process of its own it is not); the others run through the same runner in this process (hosted processes and
 * the recorder included), which saves two process start-ups.
 */
export async function checkMutant(m: MutantEntry, only: readonly string[], seed: number, runs = DEFAULT_OPTIONS.runs, skip: readonly string[] = []): Promise<Outcome> {
  if (m.needs === 'supervisor' || m.needs === 'workers') {
    return outcomeOf(await cliJsonAsync(['check', m.file, ...(only.length ? ['--only', only.join(',')] : []), ...(skip.length ? ['--skip', skip.join(',')] : []), '--seed', String(seed), '--runs', String(runs), '--timeout', '2000']));
  }
  const modulePath = join(ROOT, m.file);
  const impl = ((await import(modulePath)) as { default: Implementation }).default;
  const results = [];
  for (const check of selectChecks(SUITE, only).filter((c) => !namedBy(c, skip))) results.push(await runCheck(impl, check, { runs, seed, timeoutMs: 2000 }, modulePath));
  // With the defects each check ran into before judging its own rule (conformance/avoid.ts).
  const failures = flatten(results).filter((r) => r.status === 'failed');
  return {
    rejected: failures.length > 0,
    failed: [...new Set(failures.map((r) => r.requirement))],
    text: failures.map((r) => `${r.message}\n${r.counterexample ?? ''}`).join('\n'),
    output: results.map((r) => `${r.id}: ${r.status} ${r.reason ?? r.message ?? ''}`).join('\n'),
  };
}

/** The manifest's entries of these names; a name it does not list is an error. */
export function byName(names: readonly string[]): readonly MutantEntry[] {
  return names.map((name) => MUTANTS.find((m) => m.name === name) ?? (() => { throw new Error(`no mutant ${name} in mutants/index.ts`); })());
}

/** What a CLI run of a mutant says about it. */
export function outcomeOf(r: Awaited<ReturnType<typeof cliJsonAsync>>): Outcome {
  const checks = r.report.requirements.flatMap((q) => q.checks as { status: string; message?: string; counterexample?: string }[]);
  const text = checks.filter((c) => c.status === 'failed').map((c) => `${c.message}\n${c.counterexample ?? ''}`).join('\n');
  return { rejected: r.status === 1, failed: failedIds(r.report), text, output: r.stdout };
}

/**
 * Power-loss mutants whose end-to-end CLI run (test/powerloss/check.test.ts, on the CI seed at the default number of
 * crash states) is also their kill verdict: kill-processes.test.ts leaves them out.
 */
export const END_TO_END_POWERLOSS_MUTANTS = byName(['mutant/powerloss/no-dir-fsync', 'mutant/powerloss/ack-then-write']);

/** The CI seed: every mutant is caught with it (also `npm run mutants`'s default seed). */
export const MUTANT_SEED = 20261125;

/**
 * Single-defect mutants whose whole-suite run is judged for cascades (test/mutants/cascades.test.ts). That one run also
 * decides whether they are killed, so kill.test.ts leaves them out instead of running their expected checks again.
 */
export const CASCADE_MUTANTS = byName(['mutant/durable-empty-key-unreadable', 'mutant/refuses-empty-key', 'mutant/lone-surrogate-key-throws', 'mutant/lru-evicts', 'mutant/web-storage-names', 'mutant/namespace-prefix', 'mutant/ns-key-joins', 'mutant/coerce-empty-eisdir', 'mutant/object-get-inherits', 'mutant/bounded/log-no-fsync', 'mutant/bounded/hole', 'mutant/bounded/window-10x']);

/**
 * What a whole-suite run leaves out for a mutant built on reference/file, which rewrites and fsyncs its whole file on
 * every write: 10 000 sets cost minutes and, on a loaded machine, an API-TIMELY finding about the machine; no cascade
 * mutant's bug is in them. npm start leaves them out of reference/file's own run too (reported as excluded).
 */
export const wholeSuiteSkip = (m: MutantEntry): readonly string[] => (m.name === 'mutant/durable-empty-key-unreadable' ? ['LS-MANY-ENTRIES', 'API-TIMELY/many-entries'] : []);

/** Why `r` does not kill `m` (no expected requirement failed, or not for the stated cause); null when it does. */
export function notKilled(m: MutantEntry, r: Outcome): string | null {
  if (!r.rejected) return `${m.file} passed the suite:\n${r.output}`;
  if (!r.failed.some((id) => m.expect.includes(id))) return `${m.file} failed ${r.failed.join(', ')}, expected one of ${m.expect.join(', ')}`;
  if (m.because && !m.because.test(r.text)) return `${m.file} failed for another reason (not ${m.because}):\n${r.text}`;
  return null;
}

/** Mutants caught only across isolates (through the CLI) or in a power-loss recording: slow, judged in a file of their own. */
export const PROCESS_MUTANTS: readonly MutantEntry[] = MUTANTS.filter((m) => m.needs === 'workers' || m.needs === 'strace');

// Without strace the power-loss mutants cannot be caught: a visible skip locally, a failure under CI=true.
const noRecorder = (m: MutantEntry) => m.needs === 'strace' && recorderProblem() !== null && process.env.CI !== 'true';

/** One test per mutant: its expected checks, on the CI seed, reject it with an expected requirement ID (and cause). */
export function killTests(mutants: readonly MutantEntry[]): void {
  const killed: string[] = [];
  describe.concurrent('every mutant is rejected by check with the expected requirement ID', () => {
    for (const m of mutants) {
      it.skipIf(noRecorder(m))(`${m.name}: ${m.note}`, async () => {
        const r = await checkMutant(m, m.expect, MUTANT_SEED);
        expect(notKilled(m, r)).toBeNull();
        // A race mutant is caught by the check its header names, its manifest's first requirement, not only by another.
        if (m.needs === 'workers') expect(r.failed, r.output).toContain(m.expect[0]);
        killed.push(m.name);
      }, 300_000);
    }
  });
  afterAll(() => {
    console.log(`mutation kill rate: ${killed.length}/${mutants.length} mutants of this file rejected with an expected requirement ID`);
  });
}
