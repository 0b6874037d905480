/**
 * Files in, files out: reads JSON reports (and the benchmark's perf.json), writes the dashboard
 * page and each failure's picture as an .svg beside its report.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { witnessSvg } from './detail.js';
import { buildModel, type Source } from './model.js';
import { renderPage } from './page.js';
import { summarizePerf, type PerfSummary } from './perf.js';
import { readReport, type Report } from './reports.js';

/** `reports/conformance/memory.json` + check `LIN-LINEARIZABLE/property` → `…/memory.LIN-LINEARIZABLE-property.svg`. */
export function svgPathFor(reportPath: string, checkId: string): string {
  const base = reportPath.replace(/\.(json|html?)$/i, '');
  return `${base}.${checkId.replace(/[^A-Za-z0-9_-]+/g, '-')}.svg`;
}

/** Writes the picture of every failed check that has a witness beside `reportPath`; returns check id → file. */
export async function writeWitnessSvgs(reportPath: string, report: Report): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  for (const r of report.requirements) {
    for (const c of r.checks) {
      if (c.status !== 'failed' || !c.witness) continue;
      const file = svgPathFor(reportPath, c.id);
      await writeFile(file, `<?xml version="1.0" encoding="UTF-8"?>\n${witnessSvg(c, report.implementation.name, 'w')}\n`);
      written.set(c.id, file);
    }
  }
  return written;
}

const rel = (from: string, to: string) => relative(dirname(resolve(from)), resolve(to)).split('\\').join('/') || '.';

interface PerfInput {
  summary?: PerfSummary;
  report?: string;
  charts: { title: string; href: string }[];
}

async function loadPerf(perfPath: string | undefined, output: string): Promise<PerfInput> {
  if (!perfPath || !existsSync(perfPath)) return { charts: [] };
  const summary = summarizePerf(JSON.parse(await readFile(perfPath, 'utf8')));
  const dir = dirname(perfPath);
  const md = join(dir, 'perf.md');
  const chartsDir = join(dir, 'charts');
  const charts = existsSync(chartsDir)
    ? readdirSync(chartsDir)
        .filter((f) => f.endsWith('.svg'))
        .sort()
        .map((f) => ({ title: f.replace(/\.svg$/, ''), href: rel(output, join(chartsDir, f)) }))
    : [];
  return { summary, report: existsSync(md) ? rel(output, md) : undefined, charts };
}

export interface BuildOptions {
  /** JSON reports, or already-read reports with the path they stand for (`path` decides where pictures go). */
  readonly inputs: readonly (string | { report: Report; path: string })[];
  readonly output: string;
  /** The benchmark's perf.json; skipped when absent. */
  readonly perf?: string;
  readonly generatedAt?: string;
}

export async function buildDashboard(o: BuildOptions): Promise<{ output: string; svgs: string[] }> {
  await mkdir(dirname(resolve(o.output)), { recursive: true });
  const sources: Source[] = [];
  const svgs: string[] = [];
  for (const input of o.inputs) {
    const path = typeof input === 'string' ? input : input.path;
    const report = typeof input === 'string' ? readReport(await readFile(input, 'utf8'), input) : input.report;
    const written = await writeWitnessSvgs(path, report);
    svgs.push(...written.values());
    sources.push({ report, source: basename(path), svgLinks: new Map([...written].map(([id, file]) => [id, rel(o.output, file)])) });
  }
  const perf = await loadPerf(o.perf, o.output);
  const html = renderPage(buildModel(sources, perf.summary), { generatedAt: o.generatedAt ?? new Date().toISOString(), perfReport: perf.report, perfCharts: perf.charts });
  await writeFile(o.output, html);
  return { output: o.output, svgs };
}
