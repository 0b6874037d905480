/**
 * Per store, its typical ls.get / ls.set cost from the last benchmark (reports/perf.json, written by
 * bench/), matched to a conformance report by the implementation's module path.
 */
export interface StoreCost {
  readonly getNs?: number;
  readonly setNs?: number;
  /** Stored keys and value size of the figures. */
  readonly keys: number;
  readonly valueBytes: number;
}

export interface PerfSummary {
  readonly date?: string;
  readonly commit?: string;
  readonly quick: boolean;
  /** By module path, e.g. "reference/memory.ts". */
  readonly byModule: ReadonlyMap<string, StoreCost>;
}

interface PerfJson {
  environment?: { date?: string; gitCommit?: string };
  config?: { quick?: boolean; valueBytes?: number };
  stores?: { id: string; module?: string }[];
  operations?: { store: string; op: string; keys: number; valueBytes: number; typicalNs: number }[];
}

/** The store size the README's table quotes; the nearest measured size is used when absent. */
const PREFERRED_KEYS = 1000;

export function summarizePerf(json: unknown): PerfSummary {
  const p = json as PerfJson;
  const byModule = new Map<string, StoreCost>();
  const ops = p.operations ?? [];
  for (const store of p.stores ?? []) {
    if (!store.module) continue;
    const mine = ops.filter((o) => o.store === store.id && (o.op === 'ls.get' || o.op === 'ls.set'));
    if (mine.length === 0) continue;
    const sizes = [...new Set(mine.map((o) => o.keys))];
    const keys = sizes.reduce((best, k) => (Math.abs(k - PREFERRED_KEYS) < Math.abs(best - PREFERRED_KEYS) ? k : best), sizes[0]!);
    const at = (op: string) => mine.find((o) => o.op === op && o.keys === keys)?.typicalNs;
    byModule.set(store.module, { getNs: at('ls.get'), setNs: at('ls.set'), keys, valueBytes: mine[0]!.valueBytes });
  }
  return { date: p.environment?.date, commit: p.environment?.gitCommit, quick: p.config?.quick ?? false, byModule };
}

/** 120 → "0.12 µs", 2_500_000 → "2.5 ms". */
export function formatNs(ns: number | undefined): string {
  if (ns === undefined || !Number.isFinite(ns)) return 'n/a';
  const [value, unit] = ns >= 1e6 ? [ns / 1e6, 'ms'] : [ns / 1e3, 'µs'];
  return `${value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
}

/** Where a report's implementation was measured: by module path, also when given as "./reference/x.ts". */
export function costFor(perf: PerfSummary | undefined, module: string | undefined): StoreCost | undefined {
  if (!perf || !module) return undefined;
  const m = module.replace(/\\/g, '/').replace(/^\.\//, '');
  return perf.byModule.get(m) ?? [...perf.byModule].find(([k]) => m.endsWith(`/${k}`))?.[1];
}
