/** The report's section: each server's resident memory over millions of storage operations. */
import { formatCount } from '../format.js';
import { fitLine } from '../stats.js';
import type { MemoryPoint } from '../server/types.js';
import { table, type RenderContext } from './context.js';
import { ROLE_NAME, serverView } from './server-data.js';

/** Growth in MiB per million operations over the second half of a curve, and whether it levelled off. */
export function memoryGrowth(points: MemoryPoint[]): { slope: number; headSlope: number; r2: number; levels: boolean } | undefined {
  if (points.length < 4) return undefined;
  const half = Math.floor(points.length / 2);
  const slope = (part: MemoryPoint[]) => fitLine(part.map((m) => m.storageOps / 1e6), part.map((m) => m.rssBytes / 2 ** 20));
  const head = slope(points.slice(1, half + 1));
  const tail = slope(points.slice(half));
  // Growth that keeps at least half its early rate to the end does not level off.
  return { slope: tail.slope, headSlope: head.slope, r2: tail.r2, levels: tail.slope < 0.5 || tail.slope < head.slope / 2 };
}

export function renderServerMemory(ctx: RenderContext): void {
  const bench = ctx.perf.server;
  if (!bench || bench.memory.length === 0) return;
  const v = serverView(bench);
  const curves = v.libraries.map((l) => ({ l, points: bench.memory.find((m) => m.library === l.id)?.points ?? [] })).filter((c) => c.points.length > 1);
  const n = Math.max(...curves.map((c) => c.points.length));
  ctx.md.push(
    '### Resident memory over millions of storage operations',
    '',
    `A fresh server per library; its /churn action runs ${bench.config.opsPerRequest} storage operations per request (set, get, remove over 1 000 rotating keys, so the data stays small) ` +
      `over ${bench.config.connections} connections, the libraries in interleaved slices, ${Math.round(bench.config.memoryMs / 1000)} s each in all; RSS (/proc/<pid>/status) after every slice. A library that frees what it allocates levels off; a leak keeps growing.`,
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
            (g.levels ? 'levels off: no sign of a leak.' : c.l.role === 'published' ? '**keeps growing: a leak** (reports/titanpl-server-7.0.1.md, S3: the bridge never frees the string `t.ls.get` returns).' : '**keeps growing: a leak**.')
          : `${total} (too few samples to judge).`),
    );
  }
  ctx.md.push('');
}
