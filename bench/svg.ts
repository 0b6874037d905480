/**
 * Hand-drawn SVG charts (no charting library runs on Node 20 here): horizontal grouped bar
 * charts and line charts, each with linear or log axes, tick labels, axis titles and a legend.
 * Every text is XML-escaped; output is a standalone SVG document.
 */

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999', '#8C564B', '#7F7F00'];

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const CHAR_W = 6.6; // rough width of a 12px character, for layout

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export interface Scale {
  (v: number): number;
  ticks: number[];
  domain: [number, number];
}

/** A log10 scale over whole decades covering [min, max]. */
export function logScale(min: number, max: number, from: number, to: number): Scale {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  const f = ((v: number) => from + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (to - from)) as Scale;
  f.ticks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  f.domain = [10 ** lo, 10 ** hi];
  return f;
}

/** A linear scale from 0 (or min) to a "nice" max, with about 5 ticks. */
export function linearScale(min: number, max: number, from: number, to: number): Scale {
  const lo = Math.min(0, min);
  const span = max - lo || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const hi = Math.ceil(max / step) * step;
  const f = ((v: number) => from + ((v - lo) / (hi - lo)) * (to - from)) as Scale;
  f.ticks = [];
  for (let t = lo; t <= hi + step / 2; t += step) f.ticks.push(Math.round(t / step) * step);
  f.domain = [lo, hi];
  return f;
}

/** True when values span at least two orders of magnitude: then a log axis is used. */
export function needsLog(values: number[]): boolean {
  const pos = values.filter((v) => v > 0);
  return pos.length > 1 && Math.max(...pos) / Math.min(...pos) >= 100;
}

function legend(items: { name: string; color: string; dashed?: boolean }[], x: number, y: number, width: number): { svg: string; height: number } {
  let cx = x;
  let cy = y;
  const parts: string[] = [];
  for (const it of items) {
    const w = 22 + it.name.length * CHAR_W + 18;
    if (cx + w > x + width && cx > x) {
      cx = x;
      cy += 18;
    }
    parts.push(
      it.dashed
        ? `<line x1="${r1(cx)}" y1="${cy + 6}" x2="${r1(cx + 16)}" y2="${cy + 6}" stroke="${it.color}" stroke-width="2" stroke-dasharray="4 3"/>`
        : `<rect x="${r1(cx)}" y="${cy}" width="14" height="12" fill="${it.color}"/>`,
      `<text x="${r1(cx + 20)}" y="${cy + 10}" font-size="12" ${FONT}>${escapeXml(it.name)}</text>`,
    );
    cx += w;
  }
  return { svg: parts.join(''), height: cy - y + 18 };
}

function doc(width: number, height: number, title: string, body: string): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.ceil(height)}" viewBox="0 0 ${width} ${Math.ceil(height)}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold" ${FONT}>${escapeXml(title)}</text>`,
    body,
    `</svg>`,
    '',
  ].join('\n');
}

export interface BarSeries {
  name: string;
  color?: string;
  values: (number | null)[];
  /** Optional [low, high] whiskers (e.g. a confidence interval). */
  intervals?: ([number, number] | null)[];
}

export interface BarChartSpec {
  title: string;
  categories: string[];
  series: BarSeries[];
  axisLabel: string;
  format: (v: number) => string;
  /** Force a log axis; by default a log axis is used when values span two orders of magnitude. */
  log?: boolean;
  /** Vertical reference lines, e.g. a claimed value. */
  references?: { value: number; label: string }[];
  width?: number;
}

/** Horizontal grouped bars: one group per category, one bar per series, value printed at the bar's end. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 900;
  const all = spec.series.flatMap((s) => [...s.values, ...(s.intervals ?? []).flatMap((iv) => iv ?? [])]).filter((v): v is number => v !== null && Number.isFinite(v));
  const refs = spec.references ?? [];
  const domainValues = [...all, ...refs.map((r) => r.value)];
  const log = spec.log ?? needsLog(domainValues);
  const labelW = Math.min(260, 12 + Math.max(...spec.categories.map((c) => c.length)) * CHAR_W);
  const left = labelW + 10;
  const right = width - 90;
  const lg = legend(spec.series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length]! })), 20, 40, width - 40);
  const top = 40 + lg.height + 14 + (refs.length ? 14 : 0);
  const barH = 14;
  const groupH = spec.series.length * (barH + 2) + 12;
  const plotH = spec.categories.length * groupH;
  const positive = domainValues.filter((v) => v > 0);
  const x = log ? logScale(Math.min(...positive, 1e300), Math.max(...positive, 1e-300), left, right) : linearScale(0, Math.max(...domainValues, 0), left, right);
  const parts: string[] = [lg.svg];
  for (const t of x.ticks) {
    const tx = r1(x(t));
    parts.push(`<line x1="${tx}" y1="${top}" x2="${tx}" y2="${top + plotH}" stroke="#dddddd"/>`);
    parts.push(`<text x="${tx}" y="${top + plotH + 16}" text-anchor="middle" font-size="11" ${FONT}>${escapeXml(spec.format(t))}</text>`);
  }
  parts.push(`<text x="${(left + right) / 2}" y="${top + plotH + 36}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(spec.axisLabel + (log ? ' (log scale)' : ''))}</text>`);
  spec.categories.forEach((cat, ci) => {
    const gy = top + ci * groupH + 6;
    parts.push(`<text x="${left - 8}" y="${r1(gy + groupH / 2 - 4)}" text-anchor="end" font-size="12" ${FONT}>${escapeXml(cat)}</text>`);
    spec.series.forEach((s, si) => {
      const v = s.values[ci];
      const y = gy + si * (barH + 2);
      const color = s.color ?? PALETTE[si % PALETTE.length]!;
      if (v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0)) {
        parts.push(`<text x="${left + 4}" y="${y + 11}" font-size="10" fill="#777777" ${FONT}>n/a</text>`);
        return;
      }
      const w = Math.max(1, x(v) - left);
      parts.push(`<rect x="${left}" y="${y}" width="${r1(w)}" height="${barH}" fill="${color}"><title>${escapeXml(`${s.name} — ${cat}: ${spec.format(v)}`)}</title></rect>`);
      const iv = s.intervals?.[ci];
      let labelX = left + w + 4;
      if (iv) {
        const [a, b] = [x(iv[0]), x(iv[1])];
        parts.push(`<path d="M${r1(a)} ${y + barH / 2}H${r1(b)}M${r1(a)} ${y + 2}V${y + barH - 2}M${r1(b)} ${y + 2}V${y + barH - 2}" stroke="#333333" stroke-width="1.2" fill="none"/>`);
        labelX = Math.max(labelX, b + 4);
      }
      parts.push(`<text x="${r1(labelX)}" y="${y + 11}" font-size="10" ${FONT}>${escapeXml(spec.format(v))}</text>`);
    });
  });
  for (const ref of refs) {
    const rx = r1(x(ref.value));
    parts.push(`<line x1="${rx}" y1="${top - 6}" x2="${rx}" y2="${top + plotH}" stroke="#aa0000" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${rx}" y="${top - 9}" text-anchor="middle" font-size="11" fill="#aa0000" ${FONT}>${escapeXml(ref.label)}</text>`);
  }
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333333"/>`);
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${right}" y2="${top + plotH}" stroke="#333333"/>`);
  return doc(width, top + plotH + 50, spec.title, parts.join('\n'));
}

export interface LineSeries {
  name: string;
  color?: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
  /** Draw markers at the points (default true unless dashed). */
  markers?: boolean;
}

export interface LineChartSpec {
  title: string;
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  formatX: (v: number) => string;
  formatY: (v: number) => string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 900;
  const lg = legend(spec.series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length]!, dashed: s.dashed })), 20, 40, width - 40);
  const top = 40 + lg.height + 16;
  const plotH = spec.height ?? 380;
  const left = 90;
  const right = width - 30;
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = spec.series.flatMap((s) => s.points.map((p) => p.y));
  const x = spec.logX ? logScale(Math.min(...xs.filter((v) => v > 0)), Math.max(...xs), left, right) : linearScale(Math.min(...xs), Math.max(...xs), left, right);
  const y = spec.logY ? logScale(Math.min(...ys.filter((v) => v > 0)), Math.max(...ys), top + plotH, top) : linearScale(Math.min(0, ...ys), Math.max(...ys), top + plotH, top);
  const parts: string[] = [lg.svg];
  for (const t of x.ticks) {
    const tx = r1(x(t));
    parts.push(`<line x1="${tx}" y1="${top}" x2="${tx}" y2="${top + plotH}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${tx}" y="${top + plotH + 16}" text-anchor="middle" font-size="11" ${FONT}>${escapeXml(spec.formatX(t))}</text>`);
  }
  for (const t of y.ticks) {
    const ty = r1(y(t));
    parts.push(`<line x1="${left}" y1="${ty}" x2="${right}" y2="${ty}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${left - 6}" y="${ty + 4}" text-anchor="end" font-size="11" ${FONT}>${escapeXml(spec.formatY(t))}</text>`);
  }
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333333"/>`);
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${right}" y2="${top + plotH}" stroke="#333333"/>`);
  parts.push(`<text x="${(left + right) / 2}" y="${top + plotH + 36}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(spec.xLabel + (spec.logX ? ' (log scale)' : ''))}</text>`);
  parts.push(
    `<text transform="translate(18 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(spec.yLabel + (spec.logY ? ' (log scale)' : ''))}</text>`,
  );
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts = [...s.points].sort((a, b) => a.x - b.x).filter((p) => (!spec.logX || p.x > 0) && (!spec.logY || p.y > 0));
    if (pts.length === 0) return;
    const d = pts.map((p, k) => `${k === 0 ? 'M' : 'L'}${r1(x(p.x))} ${r1(y(p.y))}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (s.markers ?? !s.dashed) {
      for (const p of pts) parts.push(`<circle cx="${r1(x(p.x))}" cy="${r1(y(p.y))}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${spec.formatX(p.x)} → ${spec.formatY(p.y)}`)}</title></circle>`);
    }
  });
  return doc(width, top + plotH + 50, spec.title, parts.join('\n'));
}
