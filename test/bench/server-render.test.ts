/** The perf.md sections on the real TitanPL server, rendered from a synthetic measurement. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../bench/format.js';
import { renderReport } from '../../bench/render.js';
import type { ServerBench, ServerCell } from '../../bench/server/types.js';
import type { PerfReport } from '../../bench/types.js';

const perf = JSON.parse(readFileSync(new URL('./fixtures/perf-small.json', import.meta.url), 'utf8')) as PerfReport;
const rounds = 4;

/** rps and CPU per request that make the before `slow`× slower than the after on writes. */
function cell(library: string, endpoint: ServerCell['endpoint'], keys: number, connections: number, rps: number): ServerCell {
  return { library, endpoint, keys, connections, rps: Array(rounds).fill(rps), cpuNs: Array(rounds).fill(1e9 / rps / 2), latencyUs: Array(rounds).fill((connections * 1e6) / rps) };
}

function bench(memorySlopes: Record<string, number>): ServerBench {
  const cells: ServerCell[] = [];
  for (const keys of [10, 1000]) {
    for (const lib of ['before', 'after']) {
      const setRps = lib === 'before' ? 500 : 5000;
      cells.push(cell(lib, 'noop', keys, 2, 6000), cell(lib, 'ls.get', keys, 2, 5500), cell(lib, 'ls.set', keys, 2, setRps), cell(lib, 'session.set', keys, 2, setRps));
      cells.push(cell(lib, 'ls.get', keys, 1, 3000), cell(lib, 'ls.get', keys, 4, 7000));
    }
  }
  return {
    schema: 2,
    server: 'titan-server test',
    config: { quick: true, rounds, roundMs: 100, connections: 2, sizes: [10, 1000], writeSizes: [10, 1000], valueBytes: 100, concurrency: [1, 2, 4], concurrencyKeys: 1000, memoryMs: 1000, memorySamples: 5, opsPerRequest: 300 },
    libraries: [
      { id: 'before', role: 'before', label: 'the before', workDirFs: 'ext4' },
      { id: 'titanpl-core-3.0.7', role: 'published', label: '3.0.7', skipped: 'not fetched' },
      { id: 'after', role: 'after', label: 'the fixed after', workDirFs: 'ext4' },
    ],
    cells,
    memory: Object.entries(memorySlopes).map(([library, mibPerMillion]) => ({
      library,
      points: [0, 1, 2, 3, 4, 5].map((i) => ({ storageOps: i * 1e6, rssBytes: (50 + mibPerMillion * i) * 2 ** 20, seconds: i })),
    })),
    loadAverage: [1, 1],
    workDir: '/tmp',
    workDirFs: 'ext4',
    clockTicks: 100,
    durationMs: 1000,
  };
}

describe('server sections of perf.md', () => {
  it('gives each library its requests/s and the after ÷ before ratio with its interval', () => {
    const md = renderReport({ ...perf, server: bench({ before: 0, after: 0 }) }).markdown;
    expect(md).toContain('## The real TitanPL server: before, 3.0.7 and the fixed after');
    expect(md).toContain(`| one \`t.ls.set\` | ${formatCount(1000)} | 500 | ${formatCount(5000)} |`);
    expect(md).toContain('10× (10×–10×)');
    expect(md).toContain('**skipped**: not fetched');
  });

  it('draws the write cost and the memory curves of the measured libraries', () => {
    const { charts } = renderReport({ ...perf, server: bench({ before: 0, after: 3 }) });
    expect(charts['server-write-cost.svg']).toContain('fixed after');
    expect(charts['server-memory.svg']).toContain('before');
    expect(charts['server-memory.svg']).not.toContain('3.0.7'); // skipped: no curve
  });

  it('tells a store that levels off from a leak', () => {
    const md = renderReport({ ...perf, server: bench({ before: 0, after: 3 }) }).markdown;
    expect(md).toMatch(/\*\*before\*\*: 0\.00 MiB per million operations.*levels off/);
    expect(md).toMatch(/\*\*fixed after\*\*: 3\.00 MiB per million operations.*keeps growing: a leak/);
  });

  it('puts what a request gains at the top of the conclusion', () => {
    const md = renderReport({ ...perf, server: bench({}) }).markdown;
    const conclusion = md.slice(md.indexOf('## Conclusion'));
    expect(conclusion.split('\n')[2]).toMatch(/^- \*\*What the change buys a request in the real server\*\*.*10× \(10×–10×\) the requests\/s/);
  });

  it('says why a run has no server measurement', () => {
    const md = renderReport({ ...perf, server: undefined, serverSkipped: 'excluded by --skip-server' }).markdown;
    expect(md).toContain('Not measured in this run (excluded by --skip-server)');
  });
});
