/**
 * `npm run mutants`: the whole suite against every mutant (not only its expected requirements, as the
 * test does), two at a time, into reports/mutants.md: which requirements each one fails, how precise the
 * verdict is (failures outside the manifest, counterexample size, replay length), and the kill rate;
 * then, over TITAN_MUTANT_SEEDS more seeds (default 3), how often the expected requirements catch each one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTANTS, precise, type MutantEntry } from '../mutants/index.js';
import { killCurveSvg, passingCheckTime, timedCheck, timingSection, type CheckTiming } from './mutation-timing.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/titan-storage.mjs');
const SEED = process.env.TITAN_STORAGE_SEED ?? '20261125';
const PARALLEL = 2;
const EXTRA_SEEDS = Number(process.env.TITAN_MUTANT_SEEDS ?? 3);

interface Outcome {
  m: MutantEntry;
  failed: string[];
  killed: boolean;
  seconds: number;
  /** Failed requirements the manifest does not list (goal: none but SEQ-MODEL, the catch-all). */
  outside: string[];
  /** The largest counterexample of a failed check: its lines and its longest quoted string. */
  lines: number;
  longest: number;
  /** The longest replay command. */
  replay: number;
  timing: CheckTiming;
  /** Requirements no check could judge past a defect of another rule (the "not judged" column). */
  notJudged: string[];
}

interface Report {
  requirements: { id: string; status: string; notJudgedBecause?: string[]; checks: { status: string; counterexample?: string; replay?: string }[] }[];
}

const longestString = (text: string) => Math.max(0, ...[...text.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((q) => JSON.parse(q[0]).length as number));

async function runOne(m: MutantEntry, seed: string, only: readonly string[] = []): Promise<Outcome> {
  const out = join(mkdtempSync(join(tmpdir(), 'titan-mutant-')), 'r.json');
  const args = [BIN, 'check', m.file, '--seed', seed, '--timeout', '2000', ...(only.length ? ['--only', only.join(',')] : []), '--reporter', 'json', '--output', out];
  const { firstFailure, total } = await timedCheck(args, ROOT);
  let rep: Report = { requirements: [] };
  let failed: string[] = [];
  try {
    rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
    failed = rep.requirements.filter((r) => r.status === 'failed').map((r) => r.id);
  } catch {
    failed = ['(no report)'];
  }
  rmSync(dirname(out), { recursive: true, force: true });
  const checks = rep.requirements.flatMap((r) => r.checks).filter((c) => c.status === 'failed');
  return {
    m,
    failed,
    killed: failed.some((id) => m.expect.includes(id)),
    seconds: total,
    outside: failed.filter((id) => !precise(m).includes(id) && id !== 'SEQ-MODEL'),
    lines: Math.max(0, ...checks.map((c) => (c.counterexample ?? '').split('\n').length)),
    longest: Math.max(0, ...checks.map((c) => longestString(c.counterexample ?? ''))),
    replay: Math.max(0, ...checks.map((c) => (c.replay ?? '').length)),
    timing: { firstFailure, total },
    notJudged: notJudgedOf(rep),
  };
}

// ── The "not judged" column: requirements a defect of another rule kept every check from judging. ──
const notJudgedOf = (rep: Report) => rep.requirements.filter((r) => r.status === 'not-judged' || r.status === 'expected-not-judged').map((r) => `${r.id} (${(r.notJudgedBecause ?? []).join(', ')})`);
const notJudgedCell = (o: Outcome) => (o.notJudged.length ? `${o.notJudged.length}: ${o.notJudged.join('; ')}` : '0');

/** Run `jobs`, PARALLEL at a time, in order of the result. */
async function pool<T, R>(jobs: readonly T[], run: (job: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await run(jobs[i]!);
      }
    }),
  );
  return results;
}

// Alone on the machine (as far as this script goes): the figure the README's CLI section quotes.
const load = loadavg().map((l) => l.toFixed(2)).join(' ');
const passing = await passingCheckTime(BIN, 'examples/readme-store.ts', SEED, ROOT);
process.stderr.write(`passing check of ${passing.module}: median ${passing.median.toFixed(2)} s (${passing.seconds.map((x) => x.toFixed(2)).join(', ')})\n`);

const outcomes = await pool(MUTANTS, async (m) => {
  const o = await runOne(m, SEED);
  process.stderr.write(`${o.killed ? 'killed  ' : 'SURVIVED'} ${m.name} (first failure ${o.timing.firstFailure?.toFixed(1) ?? '—'} s, verdict ${o.seconds.toFixed(1)} s): ${o.failed.join(', ') || 'nothing failed'}\n`);
  return o;
});
const killed = outcomes.filter((o) => o.killed).length;

// The catch rate: the expected requirements only, over more seeds.
const seeds = Array.from({ length: EXTRA_SEEDS }, (_, i) => String(Number(SEED) + 1 + i));
const caught = await pool(MUTANTS, async (m) => {
  let n = 0;
  for (const seed of seeds) if ((await runOne(m, seed, m.expect)).killed) n++;
  process.stderr.write(`${m.name}: caught with ${n} of ${seeds.length} more seeds\n`);
  return n;
});
const always = caught.filter((n) => n === seeds.length).length;
const timingCells = (t: CheckTiming) => `${t.firstFailure === null ? '—' : t.firstFailure.toFixed(1)} / ${t.total.toFixed(1)}`;
const outsideTotal = outcomes.reduce((n, o) => n + o.outside.length, 0);
const md = `# Mutation report: does the suite catch realistic bugs?

Generated by \`npm run mutants\` on ${new Date().toISOString().slice(0, 10)}, seed ${SEED}: the whole suite (\`titan-storage check\`) against
each deliberately broken store in \`mutants/\`. A mutant is *killed* when one of the requirements it is
expected to break fails.

**Kill rate: ${killed}/${outcomes.length}.** Caught by its expected requirements with every one of ${seeds.length} more seeds
(${seeds.join(', ')}): **${always}/${outcomes.length}**. Failures outside the manifest (SEQ-MODEL, the catch-all, aside): **${outsideTotal}**
in all. Requirements **not judged** (no check could judge them past another rule's defect): **${outcomes.reduce((n, o) => n + o.notJudged.length, 0)}** in all Before judging past a known defect, a run of main counted 188 over 34 of these mutants; before the read-through symptoms, 75 over 59 (reports/not-judged.md).
Longest replay command: ${Math.max(...outcomes.map((o) => o.replay))} characters.

| mutant | the bug | expected to fail (also breaks) | failed in the full run | outside the manifest | counterexample (lines / longest string) | replay (chars) | caught over ${seeds.length} seeds | killed | not judged | first failing check / verdict (s) |
|---|---|---|---|---|---|---|---|---|---|---|
${outcomes.map((o, i) => `| \`${o.m.name}\` | ${o.m.note.replace(/\|/g, '\\|')} | ${o.m.expect.join(', ')}${o.m.alsoBreaks ? ` (${o.m.alsoBreaks.join(', ')})` : ''} | ${o.failed.map((id) => (o.m.expect.includes(id) ? `**${id}**` : id)).join(', ') || '—'} | ${o.outside.length} | ${o.lines} / ${o.longest} | ${o.replay} | ${caught[i]}/${seeds.length} | ${o.killed ? 'yes' : '**no**'} | ${notJudgedCell(o)} | ${timingCells(o.timing)} |`).join('\n')}

The expected IDs are the ones the bug is *about* (the kill test asserts that they fail: from their own checks, or for the cascade mutants from the one whole-suite run the cascade test makes); "also breaks" lists rules the
same bug really breaks as well (mutants/index.ts says why). "Outside the manifest" counts the other requirements a
mutant failed: cascades. SEQ-MODEL, which checks every operation against the model, is left out of that count.
A check that runs into another rule's defect names that rule (conformance/diagnose.ts), so most cascades end there;
it then runs again without that defect's input class, operation or symptom (conformance/avoid.ts) and judges its own rule.
"Not judged" lists the requirements none of whose checks could, each with the requirement whose defect was in the way.

${timingSection(outcomes.map((o) => o.timing), passing, 'charts/kill-curve.svg', PARALLEL, load)}`;
writeFileSync(join(ROOT, 'reports/charts/kill-curve.svg'), killCurveSvg(outcomes.map((o) => o.timing), outcomes.map((o) => o.killed)));
writeFileSync(join(ROOT, 'reports/mutants.md'), md);
console.log(`kill rate ${killed}/${outcomes.length}; wrote reports/mutants.md`);
process.exitCode = killed === outcomes.length && always === outcomes.length ? 0 : 1;
