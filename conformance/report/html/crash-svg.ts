/**
 * A crash-consistency failure as an SVG: the writes acknowledged since the last restart (one row
 * each, in order), the one in flight cut by the SIGKILL line, and what the reopened store gave back.
 */
import type { CrashWitness } from '../witness.js';
import { esc } from './escape.js';

const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const CHAR_W = 6.9;
const LEFT = 16;
const TOP = 46;
const ROW = 24;
const BAR_W = 56;
const BAR_H = 16;

export function crashSvg(w: CrashWitness, title: string, id = 'c'): string {
  const writes = [...w.acked.map((label) => ({ label, acked: true })), ...(w.inflight ? [{ label: w.inflight, acked: false }] : [])];
  const xOf = (i: number) => LEFT + 20 + i * BAR_W;
  const killIndex = w.inflight ? writes.length - 1 : writes.length;
  // Where in its write the kill landed: the timer started when write 2 was sent.
  const into = w.writeMs > 0 ? (w.killAfterMs - (killIndex - 1) * w.writeMs) / w.writeMs : 0.5;
  const killX = xOf(killIndex) + Math.min(0.85, Math.max(0.15, into)) * BAR_W * (w.inflight ? 1 : 0.5);
  const rowsBottom = TOP + writes.length * ROW + 8;
  const afterTop = rowsBottom + 34;
  const afterBottom = afterTop + 22 + w.after.length * 18;
  const height = afterBottom + 16;
  // Labels in one column right of every bar and of the kill line, so the line crosses no text.
  const labelX = Math.max(xOf(writes.length), killX) + 16;
  const labelRight = labelX + Math.max(...writes.map((wr) => (wr.label.length + 30) * CHAR_W), 0);
  const afterRight = LEFT + 40 + Math.max(...w.after.map((l) => l.length * CHAR_W), 0);
  const width = Math.ceil(Math.max(labelRight, afterRight, killX + 260, 620));

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="crash" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t" font-family="${FONT}" font-size="11">`);
  out.push(`<title id="${id}-t">${esc(title)}</title>`);
  out.push(`<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffedd5"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ea580c" stroke-width="2"/></pattern></defs>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${LEFT}" y="20" font-size="13" font-weight="bold" fill="#111827">${esc(title)}</text>`);
  out.push(`<text x="${LEFT}" y="36" fill="#4b5563">SIGKILL ${w.round} of ${w.kills}: writes since the last restart, in order (a write takes ~${w.writeMs.toFixed(1)} ms)</text>`);
  writes.forEach((wr, i) => {
    const y = TOP + i * ROW;
    const x = xOf(i);
    const barW = wr.acked ? BAR_W - 4 : killX - x;
    const [fill, stroke, state] = wr.acked ? ['#dcfce7', '#15803d', '✓ acknowledged'] : [`url(#${id}-hatch)`, '#ea580c', '… in flight, cut by the kill'];
    out.push(`<g><title>${esc(`${wr.label}: ${state}`)}</title>`);
    out.push(`<text x="${LEFT}" y="${y + 12}" fill="#6b7280">${i + 1}</text>`);
    out.push(`<rect x="${x}" y="${y}" width="${Math.max(4, barW)}" height="${BAR_H}" rx="3" fill="${fill}" stroke="${stroke}"/>`);
    out.push(`<line x1="${x + Math.max(4, barW)}" y1="${y + BAR_H / 2}" x2="${labelX - 4}" y2="${y + BAR_H / 2}" stroke="#e5e7eb" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${labelX}" y="${y + 12}" fill="#111827">${esc(wr.label)} <tspan fill="${wr.acked ? '#15803d' : '#c2410c'}">${state}</tspan></text></g>`);
  });
  out.push(`<line x1="${killX}" y1="${TOP - 6}" x2="${killX}" y2="${rowsBottom + 6}" stroke="#dc2626" stroke-width="2.5"/>`);
  out.push(`<text x="${killX + 4}" y="${rowsBottom + 18}" fill="#dc2626" font-weight="bold">⚡ SIGKILL ${w.killAfterMs.toFixed(1)} ms after sending write 2</text>`);
  out.push(`<rect x="${LEFT}" y="${afterTop}" width="${width - 2 * LEFT}" height="${afterBottom - afterTop}" rx="4" fill="#fef2f2" stroke="#fca5a5"/>`);
  out.push(`<text x="${LEFT + 10}" y="${afterTop + 16}" font-weight="bold" fill="#991b1b">after the restart (a fresh process on the same dir) the store gave back:</text>`);
  w.after.forEach((line, i) => {
    out.push(`<text x="${LEFT + 10}" y="${afterTop + 34 + i * 18}" fill="#7f1d1d">✗ ${esc(line)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
