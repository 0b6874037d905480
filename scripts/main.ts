/**
 * The main job (`npm start`): check the reference stores against the spec through the CLI gate, then
 * measure the change note's before/after table (in-memory vs the faithful file-backed store and the
 * crash-safe one, interleaved rounds, confidence intervals). Everything goes to git-ignored paths:
 * reports/conformance/<store>.json + summary.md, reports/quick/perf.md (+ perf.json, charts) and the
 * dashboard reports/index.html (every store's verdicts beside its benchmark costs).
 * `npm run bench` remains the full performance report (reports/perf.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboard } from '../conformance/report/html/build.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'reports/conformance');
const QUICK = join(ROOT, 'reports/quick');
const seed = process.env.TITAN_STORAGE_SEED ?? String((Math.random() * 2 ** 31) | 0);
const started = Date.now();

const STORES = [
  { name: 'memory', args: ['reference/memory.ts'], what: 'in-memory "after" store of the change note' },
  { name: 'shared', args: ['reference/shared.ts'], what: 'SharedArrayBuffer RwLock<HashMap>, shared by worker isolates' },
  // LS-MANY-ENTRIES: 10 000 writes that each fsync and rename a file of the whole store take longer than the check's
  // 60 s budget (API-TIMELY: a finding about time); the main job reports it as excluded, the benchmark measures the cost.
  { name: 'file', args: ['reference/file.ts', '--runs', '15', '--skip', 'LS-MANY-ENTRIES'], what: 'file-backed "before" store, done right (fsync + rename)' },
  { name: 'file-faithful', args: ['reference/file-faithful.ts', '--runs', '15'], what: 'the note\'s original truncate-and-write store (baseline; expected to fail)', baseline: true },
  // The driver protocol end to end (spec/PROTOCOL.md), when python3 is there.
  ...(spawnSync('python3', ['--version']).status === 0
    ? [{ name: 'python-driver', args: ['--driver', 'python3 examples/python-driver/driver.py', '--runs', '15', '--timeout', '15000'], what: 'the example Python driver over the line-JSON protocol', label: 'examples/python-driver/driver.py' }]
    : []),
] as { name: string; args: string[]; what: string; baseline?: boolean; label?: string }[];

interface Report {
  exitCode: number;
  durationMs: number;
  summary: { passed: number; failed: number; skipped: number; 'expected-failure': number };
  implementation: { name: string; capabilities: { persistence: string; sharing: string } };
  requirements: { id: string; status: string }[];
}

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const say = (line: string) => process.stderr.write(`[${elapsed()}] ${line}\n`);

/** Run a child to completion, passing its stderr (progress) through and keeping its stdout. */
function run(args: string[]): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => resolve({ status: code ?? 1, stdout }));
  });
}

mkdirSync(OUT, { recursive: true });
let worst = 0;

/** Check one store through the CLI; its row of the verdict table. */
async function checkStore(s: (typeof STORES)[number], i: number): Promise<string> {
  say(`conformance ${i + 1}/${STORES.length}: ${s.label ?? s.args[0]} (${s.what}) …`);
  const out = join(OUT, `${s.name}.json`);
  const r = await run([join(ROOT, 'bin/titan-storage.mjs'), 'check', ...s.args, '--seed', seed, '--quiet', '--reporter', 'json', '--output', out]);
  if (!s.baseline) worst = Math.max(worst, r.status);
  let rep: Report;
  try {
    rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
  } catch {
    process.stderr.write(r.stdout);
    say(`no report from ${s.args[0]} (exit ${r.status})`);
    worst = Math.max(worst, 2);
    return `| \`${s.label ?? s.args[0]}\` | ${s.what} | | | | | | NO REPORT (exit ${r.status}) |`;
  }
  const failed = rep.requirements.filter((q) => q.status === 'failed').map((q) => q.id);
  const verdict = rep.exitCode === 0 ? 'PASS' : s.baseline ? 'FAIL (baseline, expected)' : 'FAIL';
  say(`  ${s.name} ${verdict}: ${rep.summary.passed} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}, ${rep.summary.skipped} skipped`);
  if (r.status !== 0 && !s.baseline) process.stderr.write(r.stdout);
  return `| \`${s.label ?? s.args[0]}\` | ${s.what} | ${rep.implementation.capabilities.persistence} / ${rep.implementation.capabilities.sharing} | ${rep.summary.passed} | ${failed.length ? failed.join(', ') : '0'} | ${rep.summary.skipped} | ${(rep.durationMs / 1000).toFixed(0)} s | ${verdict} |`;
}

// Two checks side by side (the machine this is written for has two cores); rows stay in STORES order.
const rows: string[] = new Array(STORES.length);
let next = 0;
await Promise.all(
  [0, 1].map(async () => {
    while (next < STORES.length) {
      const i = next++;
      rows[i] = await checkStore(STORES[i]!, i);
    }
  }),
);

say('quick before/after benchmark: memory vs file-faithful vs file (interleaved rounds) …');
const bench = await run(['--expose-gc', '--import', 'tsx', join(ROOT, 'bench/run.ts'), '--quick', '--rounds', '6', '--only', 'floor/map,memory,file-faithful,file', '--out', QUICK]);
if (bench.status !== 0) {
  say(`benchmark failed (exit ${bench.status})`);
  worst = Math.max(worst, bench.status);
}
const perf = bench.status === 0 ? readFileSync(join(QUICK, 'perf.md'), 'utf8') : '';
const noteTable = /## The change note's table[\s\S]*?(?=\n## )/.exec(perf)?.[0] ?? '';

const md = `# Conformance of the reference stores

Generated by \`npm start\` on ${new Date().toISOString()} with seed ${seed} (replay any failure with the command printed beside it).
Per-store JSON reports are beside this file; \`titan-storage check <module> --reporter junit\` gives JUnit.
The quick before/after benchmark is in [../quick/perf.md](../quick/perf.md) (\`npm run bench\` writes the full report).

| module | what | persistence / sharing | requirements passed | failed | skipped (capability not declared) | time | verdict |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync(join(OUT, 'summary.md'), md);
console.log(`\n${md}`);
if (noteTable) console.log(noteTable.trim(), '\n');
const page = join(ROOT, 'reports/index.html');
// The speed figures (and their date) are this run's quick benchmark; the committed full one only when it failed.
const perfJson = bench.status === 0 && existsSync(join(QUICK, 'perf.json')) ? join(QUICK, 'perf.json') : join(ROOT, 'reports/perf.json');
// The replicated Redis deployment under faults: its committed reports (npm run bench:replicated), one column per mode.
const replicated = join(ROOT, 'reports/redis-replicated');
const replicatedReports = existsSync(replicated) ? readdirSync(replicated).filter((f) => f.endsWith('.json') && f !== 'matrix.json').map((f) => join(replicated, f)) : [];
await buildDashboard({ inputs: [...STORES.map((s) => join(OUT, `${s.name}.json`)), ...replicatedReports], output: page, perf: perfJson });
console.log(`reports written to reports/conformance/ and reports/quick/, dashboard reports/index.html, in ${elapsed()}`);
process.exitCode = worst;
