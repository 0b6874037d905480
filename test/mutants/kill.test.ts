// The suite tests itself: it must reject every mutant and name the requirement it breaks. Mutants whose bug needs a
// killable process or the recorder go through `titan-storage check` (the supervisor, real SIGKILLs); the others run
// through the same runner in this process (worker isolates included), which saves two process start-ups per mutant.
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MUTANTS, type MutantEntry } from '../../mutants/index.js';
import { cliJsonAsync, failedIds, ROOT } from '../helpers/cli.js';
import { recorderProblem } from '../../conformance/powerloss/record.js';
import { DEFAULT_OPTIONS, runCheck } from '../../conformance/runner.js';
import { SUITE, selectChecks } from '../../conformance/suite.js';
import type { Implementation } from '../../spec/contract.js';

const SEED = 20261125;

interface Outcome {
  /** Whether the run rejected the mutant (the CLI's exit status 1). */
  rejected: boolean;
  failed: string[];
  /** Every failed check's message and counterexample. */
  text: string;
  output: string;
}

/** Only the requirements the mutant is expected to break: the full suite per mutant is `npm run mutants`. */
async function checkMutant(m: MutantEntry): Promise<Outcome> {
  if (m.needs === 'process-isolation' || m.needs === 'strace') {
    const r = await cliJsonAsync(['check', m.file, '--only', m.expect.join(','), '--seed', String(SEED), '--timeout', '2000']);
    const checks = r.report.requirements.flatMap((q) => q.checks as { status: string; message?: string; counterexample?: string }[]);
    const text = checks.filter((c) => c.status === 'failed').map((c) => `${c.message}\n${c.counterexample ?? ''}`).join('\n');
    return { rejected: r.status === 1, failed: failedIds(r.report), text, output: r.stdout };
  }
  const modulePath = join(ROOT, m.file);
  const impl = ((await import(modulePath)) as { default: Implementation }).default;
  const results = [];
  for (const check of selectChecks(SUITE, m.expect)) results.push(await runCheck(impl, check, { runs: DEFAULT_OPTIONS.runs, seed: SEED, timeoutMs: 2000 }, modulePath));
  const failures = results.filter((r) => r.status === 'failed');
  return {
    rejected: failures.length > 0,
    failed: [...new Set(failures.map((r) => r.requirement))],
    text: failures.map((r) => `${r.message}\n${r.counterexample ?? ''}`).join('\n'),
    output: results.map((r) => `${r.id}: ${r.status} ${r.reason ?? r.message ?? ''}`).join('\n'),
  };
}

// Without strace the power-loss mutants cannot be caught: a visible skip locally, a failure under CI=true.
const noRecorder = (m: { needs?: string }) => m.needs === 'strace' && recorderProblem() !== null && process.env.CI !== 'true';

const killed: string[] = [];

describe.concurrent('every mutant is rejected by check with the expected requirement ID', () => {
  it('the manifest lists every mutant file', () => {
    const files = [
      ...readdirSync(`${ROOT}/mutants`).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => `mutants/${f}`),
      ...readdirSync(`${ROOT}/mutants/race`).filter((f) => f.endsWith('.ts')).map((f) => `mutants/race/${f}`),
      ...readdirSync(`${ROOT}/mutants/powerloss`).filter((f) => f.endsWith('.ts')).map((f) => `mutants/powerloss/${f}`),
    ];
    expect(MUTANTS.map((m) => m.file).sort()).toEqual(files.sort());
    expect(MUTANTS.length).toBeGreaterThanOrEqual(15);
  });

  for (const m of MUTANTS) {
    it.skipIf(noRecorder(m))(`${m.name}: ${m.note}`, async () => {
      const r = await checkMutant(m);
      expect(r.rejected, `${m.file} passed the suite:\n${r.output}`).toBe(true);
      expect(r.failed.some((id) => m.expect.includes(id)), `${m.file} failed ${r.failed.join(', ')}, expected one of ${m.expect.join(', ')}`).toBe(true);
      if (m.because) expect(r.text, `${m.file} failed for another reason`).toMatch(m.because);
      killed.push(m.name);
    }, 300_000);
  }
});

afterAll(() => {
  console.log(`mutation kill rate: ${killed.length}/${MUTANTS.length} mutants rejected with an expected requirement ID`);
});
