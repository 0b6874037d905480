/**
 * What every section of the performance report reads: the report, lookups into it, the colours of
 * the stores, and the Markdown and charts being written. Shared helpers of the sections live here.
 */
import { formatCount } from '../format.js';
import { PALETTE } from '../svg.js';
import { OP_NAMES } from '../../spec/operations.js';
import type { OpName, OpResult, PerfReport, RatioResult, StoreInfo } from '../types.js';

/** The change note's table: ~5 ms before, ~0.001 ms after, ~5000x. */
export const NOTE_CLAIM = { beforeNs: 5e6, afterNs: 1e3, improvement: 5000, range: [1000, 5000] as const };

export const OPS: OpName[] = OP_NAMES;

export const WORKLOAD_TEXT: Record<string, string> = {
  A: '50% read / 50% update',
  B: '95% read / 5% update',
  C: '100% read',
  D: '95% read / 5% insert (reads skewed to the latest keys)',
  F: '50% read / 50% read-modify-write',
};

export function table(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

export function verdict(r: RatioResult): string {
  const [lo, hi] = NOTE_CLAIM.range;
  if (r.ciHigh < lo) return `far below the note's ~${formatCount(lo)}–${formatCount(hi)}×: the claim does not hold here`;
  if (r.ciLow > hi) return `more than the note's ~${formatCount(lo)}–${formatCount(hi)}×`;
  if (r.ciLow >= lo) return `at or above the note's ~${formatCount(lo)}–${formatCount(hi)}×`;
  return `the interval straddles the note's ~${formatCount(lo)}× (inconclusive)`;
}

/** A fit is read as "cost grows linearly with keys" only when it is clearly positive and explains the data. */
export const LINEAR_R2 = 0.8;

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export interface RenderContext {
  readonly perf: PerfReport;
  /** Markdown lines of the report, in order. */
  readonly md: string[];
  /** File name (relative to charts/) → SVG document. */
  readonly charts: Record<string, string>;
  readonly included: StoreInfo[];
  readonly color: Map<string, string>;
  readonly storeById: Map<string, StoreInfo>;
  readonly env: PerfReport['environment'];
  readonly refKeys: number;
  has(id: string): boolean;
  op(store: string, name: OpName, keys: number): OpResult | undefined;
  ratio(task: string, before: string): RatioResult | undefined;
  /** Total read throughput with 2 isolates over 1, for a store of the scaling measurement. */
  speedup(store: string): number | undefined;
}

export function renderContext(perf: PerfReport): RenderContext {
  const included = perf.stores.filter((s) => s.included);
  const storeById = new Map(perf.stores.map((s) => [s.id, s]));
  return {
    perf,
    md: [],
    charts: {},
    included,
    color: new Map(included.map((s, i) => [s.id, PALETTE[i % PALETTE.length]!])),
    storeById,
    env: perf.environment,
    refKeys: perf.config.ratioKeys,
    has: (id) => storeById.get(id)?.included === true,
    op: (store, name, keys) => perf.operations.find((o) => o.store === store && o.op === name && o.keys === keys),
    ratio: (task, before) => perf.ratios.find((r) => r.task === task && r.before === before),
    speedup: (store) => {
      const one = perf.scaling.find((s) => s.store === store && s.isolates === 1);
      const two = perf.scaling.find((s) => s.store === store && s.isolates === 2);
      return one && two ? two.totalOpsPerSec / one.totalOpsPerSec : undefined;
    },
  };
}
