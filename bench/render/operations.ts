/** The report's section: Per-operation latency/throughput. */
import { formatCount, formatNs, formatRate } from '../format.js';
import { barChart, lineChart } from '../svg.js';
import type { OpName } from '../types.js';
import { OPS, table, type RenderContext } from './context.js';

export function renderOperations(ctx: RenderContext): void {
  const { perf, md, charts, included, color, op, refKeys } = ctx;
  md.push('## Latency and throughput per operation', '');
  md.push(
    `Time per call, from JavaScript. Fast operations are timed in batches (see "Method"); their p50/p99 are percentiles of batch means, not of single calls. Values are ${perf.config.valueBytes} bytes; a store of N keys also holds N session entries (sessions of 10 keys).`,
    '',
  );
  const opStores = included.filter((s) => perf.operations.some((o) => o.store === s.id));
  const sizes = [...new Set(perf.operations.map((o) => o.keys))].sort((a, b) => a - b);
  const chartKeys = sizes.includes(refKeys) ? refKeys : sizes[sizes.length - 1];
  if (chartKeys !== undefined) {
    md.push(`### All stores at ${formatCount(chartKeys)} keys`, '');
    md.push(
      table(
        ['Operation', ...opStores.map((s) => s.id + (s.async ? ' (async)' : ''))],
        OPS.map((name) => [`\`${name}\``, ...opStores.map((s) => {
          const o = op(s.id, name, chartKeys);
          return o ? `${formatNs(o.typicalNs ?? o.meanNs)} · ${formatRate(o.opsPerSec)}` : '—';
        })]),
      ),
      '',
      'Each cell: typical (median) time per call · calls per second.',
      '',
    );
    charts['ops-latency.svg'] = barChart({
      title: `Typical (median) time per call at ${formatCount(chartKeys)} keys`,
      categories: OPS,
      series: opStores.map((s) => ({ name: s.id, color: color.get(s.id), values: OPS.map((name) => { const o = op(s.id, name, chartKeys); return o ? o.typicalNs ?? o.meanNs : null; }) })),
      axisLabel: 'time per call',
      format: formatNs,
      log: true,
    });
    md.push('![Latency per operation](charts/ops-latency.svg)', '');
  }
  for (const name of ['ls.get', 'ls.set'] as OpName[]) {
    const file = `cost-vs-keys-${name.replace('.', '-')}.svg`;
    const series = opStores
      .map((s) => ({ name: s.id, color: color.get(s.id), points: perf.operations.filter((o) => o.store === s.id && o.op === name).map((o) => ({ x: o.keys, y: o.typicalNs ?? o.meanNs })) }))
      .filter((s) => s.points.length > 0);
    if (series.length === 0 || sizes.length < 2) continue;
    charts[file] = lineChart({
      title: `Typical time per ${name} vs keys in the store`,
      series,
      xLabel: 'keys in the store',
      yLabel: `time per ${name}`,
      formatX: formatCount,
      formatY: formatNs,
      logX: true,
      logY: true,
    });
    md.push(`![${name} vs keys](charts/${file})`, '');
  }
  md.push('### Details per store', '');
  for (const s of opStores) {
    md.push(`**${s.id}** — ${s.label}${s.async ? ' — async: each call awaited before the next' : ''}`, '');
    md.push(
      table(
        ['Operation', 'Keys', 'Mean', 'p50', 'p99', 'Throughput', 'Batch', 'Samples'],
        perf.operations
          .filter((o) => o.store === s.id)
          .sort((a, b) => OPS.indexOf(a.op) - OPS.indexOf(b.op) || a.keys - b.keys)
          .map((o) => [`\`${o.op}\``, formatCount(o.keys), formatNs(o.meanNs), formatNs(o.p50Ns), formatNs(o.p99Ns), formatRate(o.opsPerSec), String(o.batch), String(o.samples)]),
      ),
      '',
    );
  }
}
