/**
 * The fault × mode matrix of the replicated Redis deployment, written to reports/redis-replicated.md
 * (+ reports/redis-replicated/: the raw results, the witness SVGs, and one JSON conformance report
 * per mode for the dashboard):
 *   node --import tsx bench/redis-replicated/run.ts [--seed N] [--modes async,wait1] [--faults pause,isolate,kill] [--reuse-matrix]
 * (--reuse-matrix: keep matrix.json, rerun only the per-mode conformance reports and the Markdown; --render-only: only the Markdown.)
 * Each mode runs in its own deployment host (a private network namespace); each fault on a fresh
 * store of it, healed and converged before the next. Two modes at a time. Timing-free verdicts:
 * counts of acknowledged, lost and indeterminate writes; failover and convergence times are
 * measured on this machine and say so.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { driverImplementation } from '../../conformance/driver/client.js';
import type { NemesisFault } from '../../conformance/driver/protocol.js';
import { faultSchedule } from '../../conformance/nemesis/schedule.js';
import { runUnderFaults, type FaultRunResult } from '../../conformance/nemesis/run.js';
import { historySvg } from '../../conformance/report/html/history-svg.js';
import { linearizabilityWitness } from '../../conformance/report/witness.js';
import { FAULT_CLIENTS } from '../../conformance/properties/failover.js';
import { MODE_NAMES, MODES, WAIT_TIMEOUT_MS, type ModeName } from '../../reference/redis-replicated/modes.js';
import { renderReplicatedReport, type MatrixCell, type QuickReport } from './render.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'reports/redis-replicated');
const { values } = parseArgs({ options: { seed: { type: 'string' }, modes: { type: 'string' }, faults: { type: 'string' }, 'reuse-matrix': { type: 'boolean' }, 'render-only': { type: 'boolean' } } });
const seed = Number(values.seed ?? 20261204);
const modes = (values.modes?.split(',') ?? MODE_NAMES) as ModeName[];
const faults = (values.faults?.split(',') ?? ['pause', 'isolate', 'kill']) as NemesisFault[];
const started = Date.now();
const say = (s: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${s}\n`);
const DRIVER = 'sh reference/redis-replicated/driver.sh';

mkdirSync(OUT, { recursive: true });

async function runMode(mode: ModeName): Promise<MatrixCell[]> {
  const impl = await driverImplementation(`${DRIVER} --mode ${mode}`, { cwd: ROOT, requestTimeoutMs: 60_000, helloTimeoutMs: 60_000 });
  const cells: MatrixCell[] = [];
  try {
    for (const fault of faults) {
      say(`${mode}: ${fault} …`);
      const storage = await impl.open({ dir: `/matrix/${mode}/${fault}` });
      let r: FaultRunResult;
      try {
        r = await runUnderFaults(storage, seed, faultSchedule(seed, { faults: [fault], clients: FAULT_CLIENTS }), { clients: FAULT_CLIENTS });
      } finally {
        await storage.close().catch(() => storage.kill());
      }
      const witness = linearizabilityWitness(r.lin, (c) => `client ${c}`, r.history);
      let svg: string | undefined;
      if (witness) {
        svg = `${mode}-${fault}-lin.svg`;
        writeFileSync(join(OUT, svg), historySvg(witness, `LIN-LINEARIZABLE under ${fault}, ${mode}`, `${mode}${fault}`));
      }
      const { history: _history, ...kept } = r;
      cells.push({ mode, fault, result: kept, svg });
      say(`${mode}: ${fault}: ${r.writes.acknowledged} acknowledged, ${r.writes.lost.length} lost, LIN ${r.lin.verdict}`);
    }
  } finally {
    await impl.dispose();
  }
  return cells;
}

/** The quick scenario through the CLI, as the dashboard's JSON report of that mode (`declare`: the mutant's override). */
function checkMode(mode: ModeName, declare?: 'durable'): Promise<number> {
  const driver = `${DRIVER} --mode ${mode}${declare ? ` --declare ${declare}` : ''}`;
  const out = join(OUT, `${mode}${declare ? `-declared-${declare}` : ''}.json`);
  const args = [join(ROOT, 'bin/titan-storage.mjs'), 'check', '--driver', driver, '--only', 'FAILOVER-,LIN-LINEARIZABLE/faults', '--timeout', '30000', '--seed', String(seed), '--quiet', '--reporter', 'json', '--output', out];
  return new Promise((resolve) => spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }).on('close', (c) => resolve(c ?? 1)));
}

/** Run `jobs` two at a time (two cores), results in order. */
async function twoAtATime<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
}

interface Matrix {
  seed: number;
  minutes: number;
  cells: MatrixCell[];
}
let matrix: Matrix;
if (values['reuse-matrix'] || values['render-only']) {
  matrix = JSON.parse(readFileSync(join(OUT, 'matrix.json'), 'utf8')) as Matrix;
} else {
  const cells = (await twoAtATime(modes.map((m) => () => runMode(m)))).flat();
  matrix = { seed, minutes: (Date.now() - started) / 60_000, cells };
  writeFileSync(join(OUT, 'matrix.json'), JSON.stringify({ ...matrix, generated: new Date().toISOString(), waitTimeoutMs: WAIT_TIMEOUT_MS, modes: modes.map((m) => MODES[m]) }, null, 2));
}
// One at a time, and once more after a failure to start: each check starts a deployment, and a loaded machine starts slowly.
if (!values['render-only']) {
  say('the quick scenario through the CLI, per mode, for the dashboard …');
  for (const m of modes) if ((await checkMode(m)) > 1) await checkMode(m);
  // The mutant the tests reject: asynchronous replication declared durable.
  if (modes.includes('async') && (await checkMode('async', 'durable')) > 1) await checkMode('async', 'durable');
}
/** The verdicts of the per-mode JSON reports (docs/REPORT-FORMAT.md) that exist. */
function quickReports(): QuickReport[] {
  const files = [...modes.map((m) => `${m}.json`), 'async-declared-durable.json'].filter((f) => existsSync(join(OUT, f)));
  return files.map((file) => {
    const r = JSON.parse(readFileSync(join(OUT, file), 'utf8')) as {
      implementation: { name: string; capabilities: { persistence: string } };
      requirements: { id: string; status: string; checks?: { message?: string; note?: string; reason?: string }[] }[];
    };
    const results = r.requirements
      .filter((q) => q.id === 'FAILOVER-ACKED-KEPT' || q.id === 'LIN-LINEARIZABLE')
      .map((q) => ({ id: q.id, status: q.status, text: (q.checks ?? []).map((c) => c.message ?? c.note ?? c.reason ?? '').join(' ').split('\n')[0]! }));
    return { file, name: r.implementation.name, persistence: r.implementation.capabilities.persistence, results };
  });
}
writeFileSync(join(ROOT, 'reports/redis-replicated.md'), renderReplicatedReport({ seed: matrix.seed, cells: matrix.cells, modes, minutes: matrix.minutes, quick: quickReports() }));
say('wrote reports/redis-replicated.md and reports/redis-replicated/');
