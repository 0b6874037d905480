// Run the suite against a mutant (mutants/) and collect what it failed.
import { join } from 'node:path';
import type { MutantEntry } from '../../mutants/index.js';
import { DEFAULT_OPTIONS, runCheck } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import { flatten } from '../../conformance/gate.js';
import type { Implementation } from '../../spec/contract.js';
import { cliJsonAsync, failedIds, ROOT } from './cli.js';

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
export async function checkMutant(m: MutantEntry, only: readonly string[], seed: number, runs = DEFAULT_OPTIONS.runs): Promise<Outcome> {
  if (m.needs === 'supervisor' || m.needs === 'workers') {
    const r = await cliJsonAsync(['check', m.file, ...(only.length ? ['--only', only.join(',')] : []), '--seed', String(seed), '--runs', String(runs), '--timeout', '2000']);
    const checks = r.report.requirements.flatMap((q) => q.checks as { status: string; message?: string; counterexample?: string }[]);
    const text = checks.filter((c) => c.status === 'failed').map((c) => `${c.message}\n${c.counterexample ?? ''}`).join('\n');
    return { rejected: r.status === 1, failed: failedIds(r.report), text, output: r.stdout };
  }
  const modulePath = join(ROOT, m.file);
  const impl = ((await import(modulePath)) as { default: Implementation }).default;
  const results = [];
  for (const check of selectChecks(SUITE, only)) results.push(await runCheck(impl, check, { runs, seed, timeoutMs: 2000 }, modulePath));
  // With the defects each check ran into before judging its own rule (conformance/avoid.ts).
  const failures = flatten(results).filter((r) => r.status === 'failed');
  return {
    rejected: failures.length > 0,
    failed: [...new Set(failures.map((r) => r.requirement))],
    text: failures.map((r) => `${r.message}\n${r.counterexample ?? ''}`).join('\n'),
    output: results.map((r) => `${r.id}: ${r.status} ${r.reason ?? r.message ?? ''}`).join('\n'),
  };
}
