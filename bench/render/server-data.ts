/** Lookups into the server measurement shared by the server sections: cells, medians, paired ratios with CIs. */
import { formatRatio } from '../format.js';
import { quantile, ratioOfMeansBootstrap } from '../stats.js';
import type { Endpoint, LibraryRole, ServerBench, ServerCell, ServerLibraryRun } from '../server/types.js';

export const ROLE_NAME: Record<LibraryRole, string> = { before: 'before', 'before-tmpfs': 'before on tmpfs', published: '3.0.7', after: 'fixed after' };
export const ENDPOINT_LABEL: Record<Endpoint, string> = { noop: 'no-op action', 'ls.get': 'one `t.ls.get`', 'ls.set': 'one `t.ls.set`', 'session.set': 'one `t.session.set`' };

export interface Ratio {
  ratio: number;
  low: number;
  high: number;
  rounds: number;
}

export interface ServerView {
  bench: ServerBench;
  /** Measured libraries in role order: before, 3.0.7, fixed after. */
  libraries: ServerLibraryRun[];
  byRole(role: LibraryRole): ServerLibraryRun | undefined;
  cell(library: string, endpoint: Endpoint, keys: number, connections?: number): ServerCell | undefined;
  /** Median over rounds of a cell's metric, NaN rounds left out. */
  median(cell: ServerCell | undefined, metric: 'rps' | 'cpuNs' | 'latencyUs'): number;
  /** mean(num) / mean(den) over the rounds both have, 95% bootstrap CI over whole rounds. */
  ratio(num: ServerCell | undefined, den: ServerCell | undefined, metric: 'rps' | 'cpuNs'): Ratio | undefined;
}

const ORDER: LibraryRole[] = ['before', 'before-tmpfs', 'published', 'after'];

export function serverView(bench: ServerBench): ServerView {
  const libraries = bench.libraries.filter((l) => !l.skipped).sort((a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role));
  return {
    bench,
    libraries,
    byRole: (role) => libraries.find((l) => l.role === role),
    cell: (library, endpoint, keys, connections = bench.config.connections) =>
      bench.cells.find((c) => c.library === library && c.endpoint === endpoint && c.keys === keys && c.connections === connections),
    median: (cell, metric) => {
      const xs = cell?.[metric].filter(Number.isFinite) ?? [];
      return xs.length ? quantile(xs, 0.5) : NaN;
    },
    ratio: (num, den, metric) => {
      if (!num || !den) return undefined;
      const pairs = num[metric].map((x, i) => [x, den[metric][i]!] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b > 0);
      if (pairs.length < 2) return undefined;
      const est = ratioOfMeansBootstrap(pairs.map((p) => p[0]), pairs.map((p) => p[1]), { seed: 2026 });
      return { ratio: est.ratio, low: est.low, high: est.high, rounds: pairs.length };
    },
  };
}

export const formatCi = (r: Ratio | undefined) => (r ? `${formatRatio(r.ratio)} (${formatRatio(r.low)}–${formatRatio(r.high)})` : 'n/a');
