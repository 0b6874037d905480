/** The perf.md section on the real TitanPL server, rendered from a measurement. */
import { describe, expect, it } from 'vitest';
import { renderServerSection } from '../../bench/server/render.js';
import type { ServerBench } from '../../bench/server/measure.js';

const bench: ServerBench = {
  server: 'titan-server test',
  config: { rounds: 2, roundMs: 1000, connections: 4, memoryMs: 4000, opsPerRequest: 300 },
  rps: { noop: [10_000, 10_000], get: [8_000, 8_000], set: [5_000, 5_000] },
  latencyUs: { noop: [400, 400], get: [500, 500], set: [800, 800] },
  ratios: [
    { endpoint: 'get', ratio: 0.8, ciLow: 0.75, ciHigh: 0.85 },
    { endpoint: 'set', ratio: 0.5, ciLow: 0.45, ciHigh: 0.55 },
  ],
  memory: [0, 1, 2, 3, 4].map((i) => ({ storageOps: i * 1e6, rssBytes: (60 + 2 * i) * 2 ** 20, seconds: i })),
};

describe('server section of perf.md', () => {
  it('says the growth levels off when the second half is flat', () => {
    const flat = { ...bench, memory: [60, 70, 75, 76, 76, 76].map((mib, i) => ({ storageOps: i * 1e6, rssBytes: mib * 2 ** 20, seconds: i })) };
    expect(renderServerSection(flat).join('\n')).toContain('levels off: no sign of a leak');
  });

  it('says when the server was not measured', () => {
    expect(renderServerSection(undefined).join('\n')).toMatch(/Not measured/);
  });

  it('gives requests/s, the ratio to the no-op with its interval, the extra time per request, and the memory slope', () => {
    const md = renderServerSection(bench).join('\n');
    expect(md).toContain('| one `t.ls.set` | 5');
    expect(md).toMatch(/0\.5\d*× \(0\.45\d*×–0\.55\d*×\)/);
    // 1/5000 s - 1/10000 s = 100 µs more server time per request.
    expect(md).toMatch(/100(\.0)? µs/);
    expect(md).toContain('2.00 MiB per million storage operations');
    expect(md).toContain('does not level off');
  });
});
