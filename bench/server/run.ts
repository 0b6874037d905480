/**
 * Measure the real TitanPL server on each storage library (bench/server/measure.ts) into
 * DIR/perf-server.json, and re-render DIR/perf.md when DIR/perf.json is there. `npm run bench`
 * runs it as its last part; alone:
 *   node --import tsx bench/server/run.ts [--quick | --smoke] [--out DIR] [--tmp DIR] [--json-only]
 * Needs `unshare --net` (root): the script re-runs itself in a network namespace with only
 * loopback, since titan-server binds 0.0.0.0. Exit 0 also when a library is skipped (the report says why).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { filesystemOf } from '../env.js';
import { writeReport } from '../write-report.js';
import type { PerfReport } from '../types.js';
import { FULL, QUICK, SMOKE, measureServer } from './measure.js';
import { benchTargets } from './targets.js';
import type { ServerBench } from './types.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, smoke: { type: 'boolean', default: false }, out: { type: 'string' }, tmp: { type: 'string' }, 'json-only': { type: 'boolean', default: false } } });
const outDir = resolve(values.out ?? join(REPO_ROOT, 'reports'));

if (!process.env.TITAN_BENCH_NETNS) {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, '--import', tsx, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TITAN_BENCH_NETNS: '1' },
  });
  if (r.status !== 0) console.error(`server bench: could not run in a private network namespace (unshare --net needs root and iproute2): exit ${r.status ?? r.signal}`);
  process.exit(r.status ?? 1);
}

// Exit through process.exit on Ctrl-C / kill, so the finally blocks' kills are not skipped.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const workRoot = resolve(values.tmp ?? os.tmpdir());
const measured = await measureServer(benchTargets(), values.smoke ? SMOKE : values.quick ? QUICK : FULL, workRoot, (s) => console.error(`server bench: ${s}`));
const server: ServerBench = { ...measured, workDirFs: filesystemOf(workRoot) };
writeFileSync(join(outDir, 'perf-server.json'), `${JSON.stringify(server, null, 1)}\n`);
console.error(`server bench: wrote ${join(outDir, 'perf-server.json')} in ${(server.durationMs / 1000).toFixed(0)} s`);
const perfPath = join(outDir, 'perf.json');
if (!values['json-only'] && existsSync(perfPath)) {
  const perf = JSON.parse(readFileSync(perfPath, 'utf8')) as PerfReport;
  for (const f of writeReport({ ...perf, server }, outDir)) console.error(`wrote ${f}`);
}
process.exit(0);
