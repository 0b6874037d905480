/**
 * A concurrent history as an SVG timeline (after Porcupine's visualization): one lane per isolate,
 * each operation a bar from call to return on a shared axis of ranked event times (order, not
 * duration), labelled with its input and output; the longest linearization found is a numbered path
 * through the bars, and the operation the search could not place is marked.
 */
import type { HistoryWitness } from '../witness.js';
import { esc } from './escape.js';

const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const CHAR_W = 6.9; // width of one character at 11px in the fonts above
const STEP = 46; // px per ranked event
const LEFT = 84;
const TOP = 40;
const BAR_H = 18;
const ROW_H = 15;

interface Placed {
  readonly i: number;
  readonly x0: number;
  readonly x1: number;
  readonly pending: boolean;
  readonly label: string;
  labelRow: number;
}

const labelOf = (o: HistoryWitness['ops'][number]) => (o.ret === undefined ? `${o.input} → (never returned)` : o.output === undefined ? o.input : `${o.input} → ${o.output}`);

/** `id` prefixes the SVG's internal ids, so several pictures can share one page. */
export function historySvg(w: HistoryWitness, title: string, id = 'h'): string {
  const times = [...new Set(w.ops.flatMap((o) => (o.ret === undefined ? [o.call] : [o.call, o.ret])))].sort((a, b) => a - b);
  const rank = (t: number) => times.indexOf(t);
  const xAt = (r: number) => LEFT + 12 + r * STEP;
  const axisEnd = xAt(times.length - 1) + STEP;
  const placed: Placed[] = w.ops.map((o, i) => ({
    i,
    x0: xAt(rank(o.call)),
    x1: o.ret === undefined ? axisEnd : Math.max(xAt(rank(o.ret)), xAt(rank(o.call)) + 6),
    pending: o.ret === undefined,
    label: labelOf(o),
    labelRow: 0,
  }));
  // Labels go under their bar; a label that would overlap an earlier one in its lane moves a row down.
  const lanes = w.lanes.map((_, lane) => {
    const mine = placed.filter((p) => w.ops[p.i]!.lane === lane).sort((a, b) => a.x0 - b.x0);
    const rowEnds: number[] = [];
    for (const p of mine) {
      let row = rowEnds.findIndex((end) => end + 10 <= p.x0);
      if (row === -1) row = rowEnds.push(0) - 1;
      rowEnds[row] = p.x0 + p.label.length * CHAR_W;
      p.labelRow = row;
    }
    return { rows: Math.max(1, rowEnds.length), right: Math.max(0, ...rowEnds) };
  });
  const laneTop: number[] = [];
  let y = TOP;
  for (const l of lanes) {
    laneTop.push(y);
    y += 10 + BAR_H + l.rows * ROW_H + 14;
  }
  const height = y + 44;
  const legend: [string, string, string][] = [
    ['#dcfce7', '#15803d', 'placed by the longest order found (numbered)'],
    [`url(#${id}-hatch)`, '#dc2626', 'stuck: no order can place it'],
    ['#e5e7eb', '#6b7280', 'not reached'],
    ...(w.ops.some((o) => o.context) ? [['#f9fafb', '#d1d5db', 'other operations at that time'] as [string, string, string]] : []),
  ];
  const legendWidth = 12 + legend.reduce((n, [, , text]) => n + 36 + text.length * CHAR_W, 0);
  const axisNote = `time → (calls and returns in the order of one shared clock) · ${w.note}`;
  const noteWidth = LEFT + axisNote.length * CHAR_W + 20;
  const width = Math.ceil(Math.max(axisEnd + 20, ...lanes.map((l) => l.right + 20), legendWidth, noteWidth));
  const barY = (lane: number) => laneTop[lane]! + 10;
  const order = new Map(w.linearization.map((i, n) => [i, n + 1]));

  // A linearization point for each op of the path: as early as allowed, after the previous one.
  const points: { x: number; y: number; n: number }[] = [];
  let last = -Infinity;
  for (const i of w.linearization) {
    const p = placed[i]!;
    const x = Math.min(Math.max(last + 10, p.x0 + 8), p.x1 - 4);
    last = x;
    points.push({ x, y: barY(w.ops[i]!.lane) + BAR_H / 2, n: points.length + 1 });
  }

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="history" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t ${id}-d" font-family="${FONT}" font-size="11">`);
  out.push(`<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(w.note)}</desc>`);
  out.push(`<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1d4ed8"/></marker>`);
  out.push(`<pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fee2e2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#dc2626" stroke-width="2"/></pattern></defs>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="12" y="20" font-size="13" font-weight="bold" fill="#111827">${esc(title)}</text>`);
  w.lanes.forEach((name, lane) => {
    const top = laneTop[lane]!;
    const bottom = lane + 1 < laneTop.length ? laneTop[lane + 1]! : height - 44;
    if (lane % 2 === 1) out.push(`<rect x="0" y="${top - 4}" width="${width}" height="${bottom - top}" fill="#f8fafc"/>`);
    out.push(`<text x="12" y="${barY(lane) + 13}" font-weight="bold" fill="#374151">${esc(name)}</text>`);
    out.push(`<line x1="${LEFT}" y1="${barY(lane) + BAR_H / 2}" x2="${width - 10}" y2="${barY(lane) + BAR_H / 2}" stroke="#d1d5db" stroke-dasharray="2 3"/>`);
  });
  // The path goes under the labels; labels get a white halo so it never hides them.
  if (points.length > 1) out.push(`<polyline points="${points.map((q) => `${q.x},${q.y}`).join(' ')}" fill="none" stroke="#1d4ed8" stroke-width="2" marker-end="url(#${id}-arrow)"/>`);
  for (const p of placed) {
    const o = w.ops[p.i]!;
    const by = barY(o.lane);
    const stuck = w.stuck === p.i;
    const n = order.get(p.i);
    const [fill, stroke] = stuck ? [`url(#${id}-hatch)`, '#dc2626'] : n !== undefined ? ['#dcfce7', '#15803d'] : o.context ? ['#f9fafb', '#d1d5db'] : ['#e5e7eb', '#6b7280'];
    const tip = `${p.label}${stuck ? ' — stuck: no valid order can place it' : n !== undefined ? ` — #${n} in the longest order found` : o.context ? ' — not in the witness (another object, or explains nothing)' : ''}`;
    out.push(`<g class="op${stuck ? ' stuck' : o.context ? ' context' : ''}"${o.context ? ' opacity="0.75"' : ''}><title>${esc(tip)}</title>`);
    out.push(`<rect x="${p.x0}" y="${by}" width="${p.x1 - p.x0}" height="${BAR_H}" rx="3" fill="${fill}" stroke="${stroke}" stroke-width="${stuck ? 2.5 : 1.2}"${p.pending ? ' stroke-dasharray="4 3"' : ''}/>`);
    const ly = by + BAR_H + 12 + p.labelRow * ROW_H;
    out.push(`<text x="${p.x0}" y="${ly}" paint-order="stroke" stroke="#ffffff" stroke-width="3" fill="${stuck ? '#b91c1c' : o.context ? '#6b7280' : '#111827'}"${stuck ? ' font-weight="bold"' : ''}>${stuck ? '✗ ' : ''}${esc(p.label)}</text></g>`);
  }
  for (const q of points) {
    out.push(`<circle cx="${q.x}" cy="${q.y}" r="7" fill="#1d4ed8"/><text x="${q.x}" y="${q.y + 3.5}" text-anchor="middle" font-size="9" font-weight="bold" fill="#ffffff">${q.n}</text>`);
  }
  const ly = height - 26;
  out.push(`<line x1="${LEFT}" y1="${ly - 14}" x2="${axisEnd}" y2="${ly - 14}" stroke="#9ca3af" marker-end="url(#${id}-arrow)"/>`);
  out.push(`<text x="${LEFT}" y="${ly}" fill="#4b5563">${esc(axisNote)}</text>`);
  let lx = 0;
  out.push(`<g transform="translate(12 ${height - 8})" fill="#374151">`);
  for (const [fill, stroke, text] of legend) {
    out.push(`<rect x="${lx}" y="-9" width="14" height="10" fill="${fill}" stroke="${stroke}"/><text x="${lx + 18}" y="0">${esc(text)}</text>`);
    lx += 18 + text.length * CHAR_W + 18;
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
