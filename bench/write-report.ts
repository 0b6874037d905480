/** Write perf.json, perf.md and charts/*.svg for a report into a directory. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from './render.js';
import type { PerfReport } from './types.js';

export function writeReport(perf: PerfReport, outDir: string, { writeJson = true } = {}): string[] {
  const { markdown, charts } = renderReport(perf);
  const chartDir = join(outDir, 'charts');
  mkdirSync(chartDir, { recursive: true });
  // Charts of an earlier run that this one no longer draws must not linger.
  for (const f of readdirSync(chartDir)) if (f.endsWith('.svg') && !(f in charts)) rmSync(join(chartDir, f));
  const written: string[] = [];
  if (writeJson) {
    writeFileSync(join(outDir, 'perf.json'), `${JSON.stringify(perf, null, 1)}\n`);
    written.push(join(outDir, 'perf.json'));
  }
  writeFileSync(join(outDir, 'perf.md'), markdown);
  written.push(join(outDir, 'perf.md'));
  for (const [name, svg] of Object.entries(charts)) {
    writeFileSync(join(chartDir, name), svg);
    written.push(join(chartDir, name));
  }
  return written;
}
