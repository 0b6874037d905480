/** The report's section: Scaling. */
import { formatCount, formatRate, formatRatio } from '../format.js';
import { PALETTE, barChart } from '../svg.js';
import { table, type RenderContext } from './context.js';

export function renderScaling(ctx: RenderContext): void {
  const { speedup, perf, md, charts, color, has, env } = ctx;
  md.push('## Read scaling across isolates', '');
  if (perf.scaling.length) {
    md.push(
      `Total \`ls.get\` throughput of 1 and of 2 worker threads (each its own V8 isolate) reading at the same time for ${perf.config.scalingDurationMs} ms, ${formatCount(perf.config.scalingKeys)} keys. "shared": all isolates read one store; "per-isolate": each reads its own private copy (reference/memory, the upper bound). The machine has ${env.cores} cores, so 2× is the ceiling on an idle machine; when other processes compete for the cores, a process with two busy threads gets a larger share of them than with one, which can push the measured scaling above 2×.`,
      '',
    );
    const scStores = [...new Set(perf.scaling.map((s) => s.store))];
    md.push(
      table(
        ['Store', 'Mode', '1 isolate', '2 isolates (total)', 'Per isolate with 2', 'Scaling'],
        scStores.map((id) => {
          const one = perf.scaling.find((s) => s.store === id && s.isolates === 1);
          const two = perf.scaling.find((s) => s.store === id && s.isolates === 2);
          return [id, (one ?? two)!.mode, one ? formatRate(one.totalOpsPerSec) : 'n/a', two ? formatRate(two.totalOpsPerSec) : 'n/a', two ? two.perIsolateOpsPerSec.map(formatRate).join(' + ') : 'n/a', one && two ? formatRatio(two.totalOpsPerSec / one.totalOpsPerSec) : 'n/a'];
        }),
      ),
      '',
    );
    charts['scaling.svg'] = barChart({
      title: 'Read throughput with 2 isolates relative to 1 isolate',
      categories: scStores.map((id) => `${id} (${perf.scaling.find((s) => s.store === id)!.mode})`),
      series: [{ name: '2-isolate total ÷ 1-isolate total', color: PALETTE[0], values: scStores.map((id) => speedup(id) ?? null) }],
      axisLabel: 'scaling of total read throughput',
      format: formatRatio,
      log: false,
      references: [
        { value: 1, label: 'no gain' },
        { value: 2, label: 'ideal on 2 cores' },
      ],
    });
    md.push('![Read scaling](charts/scaling.svg)', '');
  } else {
    md.push('No scaling measurement ran.', '');
  }
  if (perf.scalingSkipped.length) md.push(`Not measured for scaling: ${perf.scalingSkipped.map((s) => `${s.store} (${s.reason})`).join('; ')}.`, '');
}
