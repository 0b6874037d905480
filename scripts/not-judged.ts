/**
 * `npm run not-judged [-- --out DIR] [--mutants a,b]`: how many requirements stay not judged on each
 * single-defect mutant (the whole suite, seed TITAN_STORAGE_SEED or 20261125, two mutants at a time), as a
 * Markdown table with its total. `--out DIR` keeps each JSON report there (`<mutant>.json`); `--from DIR`
 * counts reports already written instead of running anything, so two trees' runs can be compared.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { MUTANTS, type MutantEntry } from '../mutants/index.js';
import { timedCheck } from './mutation-timing.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/titan-storage.mjs');
const SEED = process.env.TITAN_STORAGE_SEED ?? '20261125';
const PARALLEL = 2;

interface Report {
  requirements: { id: string; status: string; notJudgedBecause?: string[] }[];
}

interface Count {
  m: MutantEntry;
  /** null: no report (the run crashed or was not found under --from). */
  notJudged: { id: string; because: string[] }[] | null;
  failed: string[];
  seconds: number | null;
}

const { values } = parseArgs({ options: { out: { type: 'string' }, from: { type: 'string' }, mutants: { type: 'string' } } });
const wanted = values.mutants?.split(',').map((s) => (s.startsWith('mutant/') ? s : `mutant/${s}`));
const singles = MUTANTS.filter((m) => !m.defects && (!wanted || wanted.includes(m.name)));
const fileOf = (dir: string, m: MutantEntry) => join(dir, `${m.name.replace(/^mutant\//, '').replace(/\//g, '+')}.json`);

function count(m: MutantEntry, file: string, seconds: number | null): Count {
  if (!existsSync(file)) return { m, notJudged: null, failed: [], seconds };
  const rep = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const notJudged = rep.requirements.filter((r) => r.status === 'not-judged' || r.status === 'expected-not-judged').map((r) => ({ id: r.id, because: r.notJudgedBecause ?? [] }));
  return { m, notJudged, failed: rep.requirements.filter((r) => r.status === 'failed').map((r) => r.id), seconds };
}

async function run(m: MutantEntry, dir: string): Promise<Count> {
  const file = fileOf(dir, m);
  const r = await timedCheck([BIN, 'check', m.file, '--seed', SEED, '--timeout', '2000', '--reporter', 'json', '--output', file], ROOT);
  const c = count(m, file, r.total);
  process.stderr.write(`${m.name}: ${c.notJudged?.length ?? 'no report'} not judged (${r.total.toFixed(1)} s)\n`);
  return c;
}

async function pool<T, R>(jobs: readonly T[], fn: (job: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await fn(jobs[i]!);
    }
  }));
  return results;
}

const scratch = values.out || values.from ? undefined : mkdtempSync(join(tmpdir(), 'titan-not-judged-'));
const dir = values.from ?? values.out ?? scratch!;
mkdirSync(dir, { recursive: true });
let counts: Count[];
try {
  counts = values.from ? singles.map((m) => count(m, fileOf(dir, m), null)) : await pool(singles, (m) => run(m, dir));
} finally {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

const counted = counts.filter((c) => c.notJudged);
const total = counted.reduce((n, c) => n + c.notJudged!.length, 0);
const cell = (c: Count) => (c.notJudged === null ? 'no report' : c.notJudged.length ? `${c.notJudged.length}: ${c.notJudged.map((n) => `${n.id} (${n.because.join(', ')})`).join('; ')}` : '0');
console.log(`Not judged on the single-defect mutants, seed ${SEED}: **${total}** over ${counted.length} mutants${counted.length < counts.length ? ` (${counts.length - counted.length} without a report)` : ''}.

| mutant | failed | not judged |
|---|---|---|
${counts.map((c) => `| \`${c.m.name}\` | ${c.failed.join(', ') || '—'} | ${cell(c)} |`).join('\n')}`);
