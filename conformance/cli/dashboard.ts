/** `titan-storage dashboard` and the html reporter of `check`: the CLI side of report/html/. */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDashboard, writeWitnessSvgs } from '../report/html/build.js';
import { readReport } from '../report/html/reports.js';

export class DashboardUsageError extends Error {}

/** The benchmark results beside the page, when there are any. */
const DEFAULT_PERF = 'reports/perf.json';

/** `titan-storage dashboard a.json b.json … -o reports/index.html [--perf reports/perf.json]`. */
export async function dashboard(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { output: { type: 'string', short: 'o' }, perf: { type: 'string' } } });
  } catch (e) {
    throw new DashboardUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new DashboardUsageError('dashboard needs at least one JSON report (from check --reporter json --output FILE)');
  const missing = positionals.filter((f) => !existsSync(f));
  if (missing.length) throw new DashboardUsageError(`no such report: ${missing.join(', ')}`);
  if (values.perf !== undefined && !existsSync(values.perf)) throw new DashboardUsageError(`no such perf report: ${values.perf}`);
  const output = values.output ?? 'reports/index.html';
  const { svgs } = await buildDashboard({ inputs: positionals, output, perf: values.perf ?? DEFAULT_PERF });
  console.log(`dashboard of ${positionals.length} report${positionals.length === 1 ? '' : 's'} written to ${relative(process.cwd(), resolve(output))}${svgs.length ? ` (+ ${svgs.length} .svg beside the reports)` : ''}`);
  return 0;
}

/** check --reporter html: the page of one run, with its pictures beside it. */
export async function writeHtmlReport(json: string, output: string): Promise<void> {
  await buildDashboard({ inputs: [{ report: readReport(json, output), path: output }], output, perf: DEFAULT_PERF });
}

/** check --reporter json --output FILE: each failure's picture beside the report. */
export async function writeJsonPictures(json: string, output: string): Promise<void> {
  await writeWitnessSvgs(output, readReport(json, output));
}
