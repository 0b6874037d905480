/** The report's section: Write cost vs keys. */
import { formatCount, formatNs } from '../format.js';
import { lineChart } from '../svg.js';
import { mean, table, type RenderContext } from './context.js';

export function renderWriteCost(ctx: RenderContext): void {
  const { perf, md, charts, color } = ctx;
  if (perf.writeScaling.length) {
    md.push('## Cost of a write vs number of keys', '');
    md.push(
      'The file-backed store re-serializes and rewrites its whole file on every write, so a write costs a fixed part plus a part proportional to the number of keys already stored. The line is a least-squares fit of mean write time against the number of keys.',
      '',
    );
    md.push(
      table(
        ['Store', 'Per key (slope)', 'Fixed part (intercept)', 'R²', ...perf.writeScaling[0]!.points.map((p) => `${formatCount(p.keys)} keys`)],
        perf.writeScaling.map((w) => [
          w.store,
          w.fit ? `${formatNs(w.fit.slopeNsPerKey)}/key` : 'n/a',
          w.fit ? formatNs(w.fit.interceptNs) : 'n/a',
          w.fit ? w.fit.r2.toFixed(3) : 'n/a',
          ...perf.writeScaling[0]!.points.map((p0) => {
            const p = w.points.find((x) => x.keys === p0.keys);
            return p ? formatNs(p.meanNs) : 'n/a';
          }),
        ]),
      ),
      '',
    );
    const fileCurves = perf.writeScaling.filter((w) => w.store !== 'memory' && w.points.length > 0);
    charts['write-cost.svg'] = lineChart({
      title: 'Time per ls.set vs keys in the store (file-backed stores)',
      series: fileCurves.flatMap((w) => {
        const maxX = Math.max(...w.points.map((p) => p.keys));
        const line = { name: `${w.store} (measured)`, color: color.get(w.store), points: w.points.map((p) => ({ x: p.keys, y: p.meanNs / 1e6 })) };
        if (!w.fit) return [line];
        const f = w.fit;
        return [line, { name: `${w.store} fit: ${formatNs(f.slopeNsPerKey)}/key + ${formatNs(f.interceptNs)}`, color: color.get(w.store), dashed: true, points: [0, maxX].map((x) => ({ x, y: Math.max(0, f.interceptNs + f.slopeNsPerKey * x) / 1e6 })) }];
      }),
      xLabel: 'keys in local storage',
      yLabel: 'time per write (ms)',
      formatX: formatCount,
      formatY: (v) => `${Number(v.toPrecision(3))} ms`,
    });
    md.push('![Write cost vs keys](charts/write-cost.svg)', '');
  }
}
