/** The report's section: Workloads. */
import { formatBytes, formatCount, formatRate } from '../format.js';
import { barChart } from '../svg.js';
import type { WorkloadResult } from '../types.js';
import { WORKLOAD_TEXT, table, type RenderContext } from './context.js';

export function renderWorkloads(ctx: RenderContext): void {
  const { perf, md, charts, included, color } = ctx;
  if (perf.workloads.length) {
    md.push('## YCSB-style workloads', '');
    md.push(
      `Operations on local storage in YCSB core-workload proportions, keys chosen with YCSB's zipfian generator (constant 0.99, hot keys scattered over the key space), "latest" for D, or uniformly. Throughput is one caller issuing calls back to back.`,
      '',
    );
    md.push(table(['Workload', 'Mix', 'Default distribution'], Object.entries(WORKLOAD_TEXT).map(([id, text]) => [id, text, id === 'D' ? 'latest' : 'zipfian'])), '');
    const wlStores = included.filter((s) => perf.workloads.some((w) => w.store === s.id));
    const valueSizes = [...new Set(perf.workloads.map((w) => w.valueBytes))].sort((a, b) => a - b);
    const rowsFor = (vb: number) => {
      const variants = [...new Map(perf.workloads.filter((w) => w.valueBytes === vb).map((w) => [`${w.workload}|${w.distribution}`, w])).values()].sort(
        (a, b) => a.workload.localeCompare(b.workload) || (a.distribution === 'uniform' ? 1 : -1),
      );
      return variants.map((v) => [`${v.workload} (${v.distribution})`, ...wlStores.map((s) => {
        const w = perf.workloads.find((x: WorkloadResult) => x.store === s.id && x.workload === v.workload && x.distribution === v.distribution && x.valueBytes === vb);
        return w ? formatRate(w.opsPerSec) : '—';
      })]);
    };
    for (const vb of valueSizes) {
      const keys = Math.max(...perf.workloads.filter((w) => w.valueBytes === vb).map((w) => w.keys));
      md.push(`### ${formatBytes(vb)} values, up to ${formatCount(keys)} keys`, '');
      md.push(table(['Workload', ...wlStores.map((s) => s.id)], rowsFor(vb)), '');
      const file = `workloads-${vb}b.svg`;
      const defaults = ['A', 'B', 'C', 'D', 'F'].filter((id) => perf.workloads.some((w) => w.workload === id && w.valueBytes === vb));
      charts[file] = barChart({
        title: `Workload throughput, ${formatBytes(vb)} values (default distributions)`,
        categories: defaults.map((id) => `${id}: ${WORKLOAD_TEXT[id]!.replace(' (reads skewed to the latest keys)', ', latest')}`),
        series: wlStores.map((s) => ({
          name: s.id,
          color: color.get(s.id),
          values: defaults.map((id) => perf.workloads.find((w) => w.store === s.id && w.workload === id && w.valueBytes === vb && w.distribution !== 'uniform')?.opsPerSec ?? null),
        })),
        axisLabel: 'operations per second (one caller)',
        format: formatRate,
        log: true,
      });
      md.push(`![Workloads, ${formatBytes(vb)} values](charts/${file})`, '');
    }
    md.push('Stores whose size is capped (see "Stores") run the workloads on their largest measured size.', '');
  }
}
