/** The report's section: the durability–speed frontier (bench/frontier.ts): what each microsecond of write cost buys. */
import type { Window } from '../frontier.js';
import { formatCount, formatNs } from '../format.js';
import { escapeXml, logScale, PALETTE } from '../svg.js';
import { table, type RenderContext } from './context.js';

/** A window in a table cell. */
export function showWindow(w: Window): string {
  switch (w.kind) {
    case 'ms':
      if (w.lost === 0) return `0 (nothing lost; ${w.trials})`;
      if (w.ms < 1) return `< 1 ms (${w.lost} lost over ${w.trials})`;
      return w.all ? `≥ ${w.ms.toFixed(0)} ms: the worst crash kept none of the writes (${w.lost} lost over ${w.trials}), so only the length of the run bounds it` : `${w.ms.toFixed(0)} ms (${w.lost} lost over ${w.trials})`;
    case 'everything':
      return `everything (${w.why})`;
    case 'older-data':
      return `**older data, not only the last writes** (${w.trials}): ${w.why.length > 240 ? `${w.why.slice(0, 240)}…` : w.why}`;
    case 'documented':
      return `${w.ms ? `≤ ${w.ms} ms` : '0'} documented (${w.why}), not measured: the recorder does not follow redis-server`;
    case 'not-measured':
      return `not measured: ${w.why}`;
  }
}

// The chart's y axis: a band for 0 at the bottom, log milliseconds, a band for "everything / older data" on top.
const TOP = 40;
const BOTTOM = 330;
const LEFT = 80;
const RIGHT = 760;

function yOf(w: Window, ms: ReturnType<typeof logScale>): number | null {
  if (w.kind === 'everything' || w.kind === 'older-data' || (w.kind === 'ms' && w.all)) return TOP;
  if (w.kind === 'not-measured') return null;
  return w.ms <= 0 ? BOTTOM : ms(Math.max(w.ms, 1));
}

function chart(ctx: RenderContext): string {
  const f = ctx.perf.frontier!;
  const pts = f.points.filter((p) => p.setNs);
  const xs = pts.map((p) => p.setNs!.p50);
  const x = logScale(Math.min(...xs), Math.max(...xs), LEFT, RIGHT);
  const ms = logScale(1, 10_000, BOTTOM - 30, TOP + 30);
  const parts: string[] = [
    `<text x="${(LEFT + RIGHT) / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(`Loss window vs ls.set cost at ${formatCount(f.keys)} keys`)}</text>`,
    `<line x1="${LEFT}" y1="${BOTTOM}" x2="${RIGHT}" y2="${BOTTOM}" stroke="#999"/>`,
    ...x.ticks.map((t) => `<text x="${x(t)}" y="${BOTTOM + 18}" text-anchor="middle" font-size="11">${escapeXml(formatNs(t))}</text>`),
    `<text x="${(LEFT + RIGHT) / 2}" y="${BOTTOM + 38}" text-anchor="middle" font-size="12">typical ls.set (log scale)</text>`,
    `<text x="${LEFT - 8}" y="${BOTTOM + 4}" text-anchor="end" font-size="11">0</text>`,
    `<text x="${LEFT - 8}" y="${TOP + 4}" text-anchor="end" font-size="11">unbounded</text>`,
    ...ms.ticks.map((t) => `<text x="${LEFT - 8}" y="${ms(t) + 4}" text-anchor="end" font-size="11">${t >= 1000 ? `${t / 1000} s` : `${t} ms`}</text>`),
    `<text x="14" y="${(TOP + BOTTOM) / 2}" font-size="12" transform="rotate(-90 14 ${(TOP + BOTTOM) / 2})" text-anchor="middle">observed loss window</text>`,
  ];
  pts.forEach((p, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const cx = x(p.setNs!.p50);
    const k = yOf(p.sigkill, ms);
    const pl = yOf(p.powerLoss, ms);
    if (k !== null) parts.push(`<circle cx="${cx}" cy="${k}" r="5" fill="${color}"><title>${escapeXml(`${p.label}: SIGKILL ${showWindow(p.sigkill)}`)}</title></circle>`);
    if (pl !== null) parts.push(`<rect x="${cx - 5}" y="${pl - 5}" width="10" height="10" fill="none" stroke="${color}" stroke-width="2"${p.powerLoss.kind === 'documented' ? ' stroke-dasharray="2 2"' : ''}><title>${escapeXml(`${p.label}: power loss ${showWindow(p.powerLoss)}`)}</title></rect>`);
    parts.push(`<text x="${RIGHT + 20}" y="${TOP + 14 * i}" font-size="11" fill="${color}">${escapeXml(p.label)}</text>`);
  });
  ['● SIGKILL   □ power loss', '(dashed: documented, not measured)', 'top: everything, older data,', 'or all that a run wrote'].forEach((line, j) =>
    parts.push(`<text x="${RIGHT + 20}" y="${TOP + 14 * (pts.length + j) + 10}" font-size="11">${escapeXml(line)}</text>`),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1040" height="${BOTTOM + 50}" font-family="sans-serif">${parts.join('')}</svg>`;
}

export function renderFrontier(ctx: RenderContext): void {
  const f = ctx.perf.frontier;
  if (!f) return;
  const { md } = ctx;
  md.push(
    '## The durability–speed frontier: what a durability budget costs',
    '',
    `x: the typical \`ls.set\` (median over interleaved rounds in one process, 95% bootstrap CI of the median) on a store holding ${formatCount(f.keys)} keys of ${f.valueBytes} bytes, called in process: a store call, not a request. y: the observed loss window, the age of the oldest acknowledged write a crash lost, over every crash tried — *SIGKILL*: the store's process killed mid-stream and reopened (LOSS-BOUNDED's kill rounds; for Redis the server is killed and restarted on its append-only file); *power loss*: the crash states a power cut may leave, replayed from a strace recording of a paced write sequence (LOSS-BOUNDED's power-loss check). 0 is durable; *everything* is volatile. A window observed here is a lower bound on what the store can lose, never a guarantee; the declaration is what the suite holds the store to.`,
    '',
    table(
      ['Store', 'declared persistence', '`ls.set` (typical, 95% CI)', 'loss window: SIGKILL', 'loss window: power loss'],
      f.points.map((p) => [p.label, p.declared, p.setNs ? `${formatNs(p.setNs.p50)} (${formatNs(p.setNs.lo)}–${formatNs(p.setNs.hi)})` : 'not measured', showWindow(p.sigkill), showWindow(p.powerLoss)]),
    ),
    '',
    'How to read it: move right for durability. The hybrid store keeps a write at in-memory speed and loses at most its window; its commits (one append and one fsync each, due once the oldest queued write has waited a quarter of the declared window, so a late timer or a slow client still keeps the promise) are paid by the write that finds the oldest queued one due. The note\'s *before* (truncate and rewrite, no fsync) is not only slow: a crash during its rewrite loses the whole file, writes acknowledged long ago included (CRASH-CONSISTENT and CRASH-POWERLOSS show it; the kill rounds here, with small values, rarely land inside a rewrite). SQLite with synchronous=NORMAL loses nothing to a killed process but, until a checkpoint syncs its WAL, a power cut may roll back every commit since the last one, however old. Redis\'s power-loss figures are its documentation (`appendfsync everysec`: up to 2 s in the worst case), since the recorder sees only the client\'s system calls, not the server\'s.',
    '',
    `![Loss window vs write cost](charts/frontier.svg)`,
    '',
    f.measuredSeparately ? `Measured in ${(f.durationMs / 1000).toFixed(0)} s of another run than the rest of this report: ${f.measuredSeparately}.` : `Measured in ${(f.durationMs / 1000).toFixed(0)} s of this run.`,
    '',
  );
  ctx.charts['frontier.svg'] = chart(ctx);
}
