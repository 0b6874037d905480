/** The report's section: how the cost of a `t.ls.set` request grows with the store, per library, in the server. */
import { formatCount, formatNs } from '../format.js';
import { fitLine } from '../stats.js';
import { PALETTE, lineChart } from '../svg.js';
import { LINEAR_R2, NOTE_CLAIM, table, type RenderContext } from './context.js';
import { ROLE_NAME, serverView } from './server-data.js';

export function renderServerWriteCost(ctx: RenderContext): void {
  const bench = ctx.perf.server;
  if (!bench) return;
  const v = serverView(bench);
  const sizes = bench.config.writeSizes;
  const libs = v.libraries;
  ctx.md.push(
    '### The write cost as the store grows, in the server',
    '',
    `One \`t.ls.set\` per request at ${sizes.map(formatCount).join(', ')} stored keys (median server CPU per request, and requests/s), same rounds as above. ` +
      'The before library re-serializes the whole map and rewrites its file on every write; the others touch one entry.',
    '',
    table(
      ['Stored keys', ...libs.map((l) => `CPU per \`ls.set\` request: ${ROLE_NAME[l.role]}`), ...libs.map((l) => `Requests/s: ${ROLE_NAME[l.role]}`)],
      sizes.map((k) => [formatCount(k), ...libs.map((l) => formatNs(v.median(v.cell(l.id, 'ls.set', k), 'cpuNs'))), ...libs.map((l) => formatCount(v.median(v.cell(l.id, 'ls.set', k), 'rps')))]),
    ),
    '',
  );
  const lines: string[] = [];
  for (const l of libs) {
    const pts = sizes.map((k) => [k, v.median(v.cell(l.id, 'ls.set', k), 'cpuNs')] as const).filter(([, y]) => Number.isFinite(y));
    if (pts.length < 2) continue;
    const f = fitLine(pts.map((p) => p[0]), pts.map((p) => p[1]));
    const grows = f.slope > 0 && f.r2 >= LINEAR_R2;
    const at5ms = (NOTE_CLAIM.beforeNs - f.intercept) / f.slope;
    lines.push(
      `**${ROLE_NAME[l.role]}**: ` +
        (grows
          ? `${formatNs(f.slope)} more server CPU per request for every key already stored (least squares, R² ${f.r2.toFixed(3)}), ${formatNs(pts[0]![1])} at ${formatCount(pts[0]![0])} keys to ${formatNs(pts.at(-1)![1])} at ${formatCount(pts.at(-1)![0])}; ` +
            (at5ms > 0 ? `a write request would cost the note's ~5 ms of CPU at about ${formatCount(Number(at5ms.toPrecision(2)))} stored keys.` : 'even a small store costs more than the note\'s ~5 ms.')
          : `no growth with the store beyond the noise (slope ${formatNs(f.slope)} per key, R² ${f.r2.toFixed(2)}).`),
    );
  }
  if (lines.length) ctx.md.push(...lines.map((x) => `- ${x}`), '');
  ctx.charts['server-write-cost.svg'] = lineChart({
    title: 'Server CPU per t.ls.set request vs keys in the store (titan-server 7.0.1)',
    series: libs.map((l, i) => ({
      name: ROLE_NAME[l.role],
      color: PALETTE[i % PALETTE.length],
      points: sizes.map((k) => ({ x: k, y: v.median(v.cell(l.id, 'ls.set', k), 'cpuNs') / 1e6 })).filter((p) => Number.isFinite(p.y)),
    })),
    xLabel: 'keys in local storage',
    yLabel: 'server CPU per request (ms)',
    formatX: formatCount,
    formatY: (y) => `${Number(y.toPrecision(3))} ms`,
  });
  ctx.md.push('![Server CPU per write request vs keys](charts/server-write-cost.svg)', '');
}
