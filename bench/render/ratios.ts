/** The report's section: Ratios. */
import { formatCount, formatNs, formatRatio } from '../format.js';
import { barChart, needsLog } from '../svg.js';
import { NOTE_CLAIM, mean, table, type RenderContext } from './context.js';

export function renderRatios(ctx: RenderContext): void {
  const { perf, md, charts, color, ratio, refKeys } = ctx;
  if (perf.ratios.length) {
    md.push('## Before/after ratios from interleaved rounds', '');
    md.push(
      `Each round measures the before stores and the in-memory store back to back on the same task (order reversed every other round), so a slow phase of the machine hits both. Method: ${perf.ratios[0]!.method}.`,
      '',
    );
    md.push(
      table(
        ['Task', 'Before store', 'Before (per call)', 'After: memory (per call)', 'Ratio', '95% CI', 'Rounds'],
        perf.ratios.map((r) => [r.task, r.before, formatNs(mean(r.beforeNs)), formatNs(mean(r.afterNs)), formatRatio(r.ratio), `${formatRatio(r.ciLow)} – ${formatRatio(r.ciHigh)}`, String(r.rounds)]),
      ),
      '',
    );
    const tasks = [...new Set(perf.ratios.map((r) => r.task))];
    const befores = [...new Set(perf.ratios.map((r) => r.before))];
    charts['ratios.svg'] = barChart({
      title: `How many times faster the in-memory store is (${formatCount(refKeys)} keys, 95% CI)`,
      categories: tasks,
      series: befores.map((b) => ({
        name: `memory vs ${b}`,
        color: color.get(b),
        values: tasks.map((t) => ratio(t, b)?.ratio ?? null),
        intervals: tasks.map((t) => {
          const r = ratio(t, b);
          return r ? ([r.ciLow, r.ciHigh] as [number, number]) : null;
        }),
      })),
      axisLabel: 'speed-up (before time / after time)',
      format: formatRatio,
      log: needsLog([...perf.ratios.flatMap((r) => [r.ratio, r.ciLow, r.ciHigh]), NOTE_CLAIM.improvement]),
      references: [{ value: NOTE_CLAIM.improvement, label: "note: ~5000×" }],
    });
    md.push('![Before/after ratios](charts/ratios.svg)', '');
  }
}
