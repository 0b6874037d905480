/** npm run report [-- --in reports/perf.json] [-- --out reports]: re-render perf.md and the charts from a perf.json. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './stores.js';
import type { PerfReport } from './types.js';
import { writeReport } from './write-report.js';

const { values } = parseArgs({ options: { in: { type: 'string' }, out: { type: 'string' } } });
const input = resolve(values.in ?? join(REPO_ROOT, 'reports/perf.json'));
const perf = JSON.parse(readFileSync(input, 'utf8')) as PerfReport;
const files = writeReport(perf, resolve(values.out ?? dirname(input)), { writeJson: false });
process.stderr.write(`wrote ${files.join(', ')}\n`);
