// The frontier section of reports/perf.md (bench/render/frontier.ts): every store a row, every window said in words, one chart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../bench/render.js';
import type { Frontier } from '../../bench/frontier.js';
import type { PerfReport } from '../../bench/types.js';

const base = JSON.parse(readFileSync(new URL('./fixtures/perf-small.json', import.meta.url), 'utf8')) as PerfReport;
const setNs = (p50: number) => ({ p50, lo: p50 * 0.9, hi: p50 * 1.2, rounds: 15 });

const frontier: Frontier = {
  keys: 1000,
  valueBytes: 100,
  durationMs: 61_000,
  points: [
    { id: 'memory', label: 'memory', declared: 'volatile', setNs: setNs(300), sigkill: { kind: 'everything', why: 'volatile' }, powerLoss: { kind: 'everything', why: 'volatile' } },
    { id: 'hybrid-100', label: 'hybrid <100 ms>', declared: 'bounded (100 ms; restart, sigkill, powerloss)', setNs: setNs(1200), sigkill: { kind: 'ms', ms: 34.2, lost: 3, trials: '6 kills' }, powerLoss: { kind: 'ms', ms: 52, lost: 6, trials: '16 crash states' } },
    { id: 'sqlite-normal', label: 'SQLite NORMAL', declared: 'bounded (0 ms; restart, sigkill)', setNs: setNs(90_000), sigkill: { kind: 'ms', ms: 0, lost: 0, trials: '6 kills' }, powerLoss: { kind: 'ms', ms: 102, lost: 10, trials: '16 crash states', all: true } },
    { id: 'file-faithful', label: 'faithful', declared: 'durable', setNs: setNs(900_000), sigkill: { kind: 'older-data', why: 'kill 2: it holds …', trials: '6 kills' }, powerLoss: { kind: 'ms', ms: 0, lost: 0, trials: '16 crash states' } },
    { id: 'redis-everysec', label: 'Redis everysec', declared: 'bounded (2000 ms; restart, sigkill, powerloss)', setNs: null, sigkill: { kind: 'not-measured', why: 'redis-server is not on PATH' }, powerLoss: { kind: 'documented', ms: 2000, why: 'fsync once a second' } },
  ],
};

describe('the durability–speed frontier section', () => {
  it('is absent when the run did not measure it', () => {
    expect(renderReport(base).markdown).not.toContain('durability–speed frontier');
  });

  it('has a row per store with its cost and both windows in words, and a chart with every measured store', () => {
    const r = renderReport({ ...structuredClone(base), frontier });
    const md = r.markdown;
    expect(md).toContain('## The durability–speed frontier: what a durability budget costs');
    expect(md).toMatch(/\| hybrid <100 ms> \| bounded \(100 ms; restart, sigkill, powerloss\) \| 1\.2 µs \(1\.08 µs–1\.44 µs\) \| 34 ms \(3 lost over 6 kills\) \| 52 ms \(6 lost over 16 crash states\) \|/);
    expect(md).toContain('≥ 102 ms: the worst crash kept none of the writes');
    expect(md).toContain('**older data, not only the last writes**');
    expect(md).toMatch(/\| Redis everysec \|[^\n]*\| not measured \| not measured: redis-server is not on PATH \| ≤ 2000 ms documented \(fsync once a second\)/);
    const svg = r.charts['frontier.svg']!;
    expect(svg).not.toMatch(/NaN|undefined/);
    expect(svg).toContain('hybrid &lt;100 ms&gt;');
    expect(svg.match(/<circle /g)).toHaveLength(4);
  });
});
