/**
 * Measure the real TitanPL server (bench/server/measure.ts) and put the result into the
 * performance report: reports/perf.json gains `server`, reports/perf.md is re-rendered from it.
 *   node --import tsx bench/server/run.ts [--quick] [--out DIR]
 * Needs the app built by scripts/fetch-titanpl-server.sh and `unshare --net` (root): the script
 * re-runs itself in a network namespace with only loopback, since titan-server binds 0.0.0.0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PATHS } from '../../adapters/titanpl-server/paths.js';
import { writeReport } from '../write-report.js';
import type { PerfReport } from '../types.js';
import { measureServer } from './measure.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } });
const outDir = resolve(values.out ?? join(PATHS.cache, '../../reports'));

if (!process.env.TITAN_BENCH_NETNS) {
  if (!existsSync(join(PATHS.dist, 'routes.json'))) {
    console.error(`${PATHS.dist} is missing: run scripts/fetch-titanpl-server.sh first`);
    process.exit(2);
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, '--import', tsx, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TITAN_BENCH_NETNS: '1' },
  });
  process.exit(r.status ?? 1);
}

const config = values.quick
  ? { rounds: 3, roundMs: 300, connections: 4, memoryMs: 3_000, opsPerRequest: 300 }
  : { rounds: 12, roundMs: 2_000, connections: 4, memoryMs: 150_000, opsPerRequest: 300 };
const server = await measureServer(config, (s) => console.error(`server bench: ${s}`));
writeFileSync(join(outDir, 'perf-server.json'), `${JSON.stringify(server, null, 1)}\n`);
const perfPath = join(outDir, 'perf.json');
if (existsSync(perfPath)) {
  const perf = JSON.parse(readFileSync(perfPath, 'utf8')) as PerfReport;
  for (const f of writeReport({ ...perf, server }, outDir)) console.error(`wrote ${f}`);
} else {
  console.error(`no ${perfPath}: wrote only perf-server.json (run the main benchmark to get perf.md)`);
}
