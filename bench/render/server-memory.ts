/** The report's section: each server's resident memory over millions of storage operations. */
import { formatCount } from '../format.js';
import { fitLine } from '../stats.js';
import type { MemoryPoint } from '../server/types.js';
import { PALETTE, lineChart } from '../svg.js';
import { table, type RenderContext } from './context.js';
import { ROLE_NAME, serverView } from './server-data.js';

/** Fewer operations than this say nothing about MiB per million. */
export const MIN_MEMORY_OPS = 1e6;
/** Growth below this (MiB per million operations, second half) is a level curve. */
export const LEVEL_MIB_PER_MILLION = 0.5;

/** Growth in MiB per million operations over the second half of a curve, and whether it levelled off. */
export function memoryGrowth(points: MemoryPoint[]): { slope: number; headSlope: number; r2: number; levels: boolean } | undefined {
  if (points.length < 4 || points.at(-1)!.storageOps < MIN_MEMORY_OPS) return undefined;
  const half = Math.floor(points.length / 2);
  const slope = (part: MemoryPoint[]) => fitLine(part.map((m) => m.storageOps / 1e6), part.map((m) => m.rssBytes / 2 ** 20));
  const head = slope(points.slice(1, half + 1));
  const tail = slope(points.slice(half));
  return { slope: tail.slope, headSlope: head.slope, r2: tail.r2, levels: tail.slope < LEVEL_MIB_PER_MILLION };
}

export function renderServerMemory(ctx: RenderContext): void {
  const bench = ctx.perf.server;
  if (!bench) return;
  if (bench.memory.length === 0) {
    ctx.md.push('### Resident memory over millions of storage operations', '', `Not measured in this run${bench.config.memoryMs === 0 ? ' (the quick variant has no memory run)' : ''}.`, '');
    return;
  }
  const v = serverView(bench);
  const curves = v.libraries.filter((l) => !l.memorySkipped).map((l) => ({ l, points: bench.memory.find((m) => m.library === l.id)?.points ?? [] })).filter((c) => c.points.length > 1);
  const n = Math.max(...curves.map((c) => c.points.length));
  ctx.md.push(
    '### Resident memory over millions of storage operations',
    '',
    `A fresh server per library; its /churn action runs ${bench.config.opsPerRequest} storage operations per request (set, get, remove over 1 000 rotating keys, so the data stays small) ` +
      `over ${bench.config.connections} connections, the libraries in interleaved slices, ${Math.round(bench.config.memoryMs / 1000)} s each in all; RSS (/proc/<pid>/status) after every slice. A library that frees what it allocates levels off (under ${LEVEL_MIB_PER_MILLION} MiB per million operations over the second half of the run); a leak keeps growing.`,
    '',
    table(
      ['Sample', ...curves.flatMap((c) => [`Operations: ${ROLE_NAME[c.l.role]}`, `RSS MiB: ${ROLE_NAME[c.l.role]}`])],
      Array.from({ length: n }, (_, i) => [String(i), ...curves.flatMap((c) => (c.points[i] ? [formatCount(c.points[i]!.storageOps), (c.points[i]!.rssBytes / 2 ** 20).toFixed(1)] : ['', '']))]),
    ),
    '',
  );
  for (const c of curves) {
    const g = memoryGrowth(c.points);
    const last = c.points.at(-1)!;
    const total = `${((last.rssBytes - c.points[0]!.rssBytes) / 2 ** 20).toFixed(1)} MiB over ${formatCount(last.storageOps)} operations`;
    ctx.md.push(
      `- **${ROLE_NAME[c.l.role]}**: ` +
        (g
          ? `${g.slope.toFixed(2)} MiB per million operations over the second half (first half ${g.headSlope.toFixed(2)}; R² ${g.r2.toFixed(2)}), ${total} — ` +
            (g.levels
              ? 'levels off: no sign of a leak.'
              : `**keeps growing: a leak**${c.l.returnedStrings === 'caller-frees' ? ' (reports/titanpl-server-7.0.1.md, S3: this library returns strings its caller must free, and the 7.0.1 bridge copies them and never frees them)' : ''}.`)
          : `${total}: too few operations or samples to judge (at least ${formatCount(MIN_MEMORY_OPS)} operations).`),
    );
  }
  ctx.charts['server-memory.svg'] = lineChart({
    title: 'Resident memory of titan-server vs storage operations, per library',
    series: curves.map((c, i) => ({ name: ROLE_NAME[c.l.role], color: PALETTE[i % PALETTE.length], points: c.points.map((p) => ({ x: p.storageOps / 1e6, y: p.rssBytes / 2 ** 20 })) })),
    xLabel: 'storage operations (millions)',
    yLabel: 'RSS (MiB)',
    formatX: (x) => `${Number(x.toPrecision(3))} M`,
    formatY: (y) => `${Number(y.toPrecision(3))} MiB`,
  });
  ctx.md.push('![Server RSS vs storage operations](charts/server-memory.svg)', '');
  for (const l of v.libraries.filter((x) => x.memorySkipped)) ctx.md.push(`- **${ROLE_NAME[l.role]}**: not in the memory run: ${l.memorySkipped}.`);
  ctx.md.push('');
}
