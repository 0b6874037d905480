/**
 * `--write-expect FILE`: an expectations file written from a run (WPT's update-expectations). The
 * failures of this run become its entries for this run mode; what the file already says about the
 * other mode, and the reasons people wrote, are kept.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { ExpectedFailure, RunMode } from './expectations.js';
import type { Verdict } from './gate.js';
import { replayCommand, type ReplayTarget } from './report/replay.js';
import { SPEC_VERSION } from '../spec/requirements.js';

type Entries = Record<string, ExpectedFailure>;

/** The next file content: `previous` updated with the failures of `verdict`, a run in `mode`. */
export function updatedExpectations(previous: Record<string, unknown>, verdict: Verdict, mode: RunMode, target: ReplayTarget): Record<string, unknown> {
  const other: RunMode = mode === 'inline' ? 'process' : 'inline';
  const old = (previous.expectedFailures && !Array.isArray(previous.expectedFailures) ? previous.expectedFailures : {}) as Entries;
  const fresh = previous.expectedFailures === undefined;
  const next: Entries = {};
  for (const r of verdict.requirements) {
    const was = old[r.id];
    const fails = r.status === 'failed' || r.status === 'expected-failure';
    // Every check of it ran into another rule's defect: it does not fail here (a fix of that defect will judge it).
    const blocked = r.status === 'not-judged' || r.status === 'expected-not-judged';
    const ran = blocked || (r.status !== 'not-run' && r.status !== 'skipped');
    if (fails) {
      const first = r.checks.find((c) => c.status === 'failed')!;
      const { when, ...kept } = was ?? {};
      // New here: every mode for a new file, this mode for a file that already describes the other one.
      // Expected before only in the other mode: it fails in both now.
      const condition = was === undefined ? (fresh ? undefined : mode) : when?.isolation === other ? undefined : when?.isolation;
      next[r.id] = { ...kept, reason: was?.reason ?? first.message, check: first.id, counterexample: first.counterexample, replay: replayCommand(first, target), ...(condition ? { when: { isolation: condition } } : {}) };
    } else if (was !== undefined) {
      if (was.when?.isolation === other || !ran) next[r.id] = was;
      else if (was.when === undefined) next[r.id] = { ...was, when: { isolation: other } };
      // An entry for this mode only that now passes is dropped.
    }
  }
  return { ...previous, implementation: previous.implementation ?? verdict.implementation.name, specVersion: SPEC_VERSION, seed: verdict.options.seed, runs: verdict.options.runs, expectedFailures: next, notJudged: notJudgedEntries(previous, verdict, mode) };
}

/** "notJudged": this run's requirements no check could judge, naming the defect in the way; the other mode's entries kept. */
function notJudgedEntries(previous: Record<string, unknown>, verdict: Verdict, mode: RunMode): Entries {
  const old = (previous.notJudged && !Array.isArray(previous.notJudged) ? previous.notJudged : {}) as Entries;
  const next: Entries = {};
  const other: RunMode = mode === 'inline' ? 'process' : 'inline';
  const now = new Set(verdict.requirements.filter((r) => r.status === 'not-judged' || r.status === 'expected-not-judged').map((r) => r.id));
  // What the file says of the other mode stays: an entry for both modes that is judged here now holds for the other only.
  for (const [id, e] of Object.entries(old)) if (!now.has(id) && e.when?.isolation !== mode) next[id] = e.when ? e : { ...e, when: { isolation: other } };
  for (const r of verdict.requirements.filter((x) => now.has(x.id))) {
    const was = old[r.id];
    const reason = `${(r.notJudgedBecause ?? []).join(', ')} in the way`;
    // Not judged in the other mode too (or listed for both): every mode; else this one.
    next[r.id] = { reason, ...(was && (was.when === undefined || was.when.isolation === other) ? {} : { when: { isolation: mode } }) };
  }
  return next;
}

export async function writeExpectations(file: string, verdict: Verdict, mode: RunMode, target: ReplayTarget): Promise<void> {
  const previous = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>) : {};
  await writeFile(file, `${JSON.stringify(updatedExpectations(previous, verdict, mode, target), null, 2)}\n`);
}
