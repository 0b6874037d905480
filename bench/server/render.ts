/** The report section on the real TitanPL server: what a request costs, with and without storage, and its memory. */
import { formatCount, formatNs, formatRatio } from '../format.js';
import { fitLine, mean } from '../stats.js';
import { ENDPOINTS, type Endpoint, type ServerBench } from './measure.js';

const LABEL: Record<Endpoint, string> = { noop: 'no-op action', get: 'one `t.ls.get`', set: 'one `t.ls.set`' };
const NOTE_BEFORE_NS = 5e6;
const NOTE_AFTER_NS = 1e3;

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Server time per request: the inverse of throughput (all connections and isolates together). */
const perRequestNs = (rps: readonly number[]) => 1e9 / mean(rps);

export function renderServerSection(server: ServerBench | undefined): string[] {
  const md = ['## The real TitanPL server: what a request costs', ''];
  if (!server) {
    md.push('Not measured in this run (`node --import tsx bench/server/run.ts`, after `scripts/fetch-titanpl-server.sh`).', '');
    return md;
  }
  const { config, rps, latencyUs, ratios } = server;
  const ratio = (e: Endpoint) => ratios.find((r) => r.endpoint === e);
  const noopNs = perRequestNs(rps.noop);
  md.push(
    `${server.server}, its app built by titanpl's own bundler (adapters/titanpl-server/app), ${config.connections} keep-alive HTTP connections on loopback inside a network namespace, ` +
      `${config.rounds} interleaved rounds of ${config.roundMs / 1000} s per action (order shuffled every round). Ratios are requests/s relative to the no-op action, ` +
      'with 95% bootstrap intervals over rounds; "extra per request" is the difference in server time per request (1 / throughput).',
    '',
    table(
      ['Action', 'Requests/s (mean of rounds)', 'Range over rounds', 'Mean latency', 'Throughput vs no-op (95% CI)', 'Extra per request'],
      ENDPOINTS.map((e) => {
        const r = ratio(e);
        return [
          LABEL[e],
          formatCount(Math.round(mean(rps[e]))),
          `${formatCount(Math.round(Math.min(...rps[e])))}–${formatCount(Math.round(Math.max(...rps[e])))}`,
          formatNs(mean(latencyUs[e]) * 1000),
          r ? `${formatRatio(r.ratio)} (${formatRatio(r.ciLow)}–${formatRatio(r.ciHigh)})` : '1×',
          e === 'noop' ? '—' : formatNs(perRequestNs(rps[e]) - noopNs),
        ];
      }),
    ),
    '',
    `**Beside the note's table.** A request that does nothing but reach an action costs ${formatNs(noopNs)} of server time here. ` +
      `The note's "before", ~5 ms per storage call, would have been ${formatRatio(NOTE_BEFORE_NS / noopNs)} the cost of the whole request: storage dominated. ` +
      `Its "after", ~0.001 ms, is ${((NOTE_AFTER_NS / noopNs) * 100).toFixed(1)}% of a request. What a storage call adds in the real server (the native call through the bridge, ` +
      'the string conversions, for `set` the write lock) is the last column; ' +
      (ratios.every((r) => r.ciLow <= 1 && r.ciHigh >= 1)
        ? 'here neither `get` nor `set` is distinguishable from the no-op (both intervals include 1×): on this machine the request, not the store, sets the throughput.'
        : `${ratios
            .filter((r) => r.ciLow > 1 || r.ciHigh < 1)
            .map((r) => `\`${r.endpoint}\``)
            .join(' and ')} measurably changes throughput; the rest is within the noise of the request.`),
    '',
  );
  if (server.loadAverage) md.push(`Machine load (1-minute average) ${server.loadAverage[0].toFixed(1)} at the start, ${server.loadAverage[1].toFixed(1)} at the end, on 2 cores shared with other jobs: the spread over rounds is the machine's, which is why only ratios from interleaved rounds are compared.`, '');
  const mem = server.memory;
  if (mem.length > 4) {
    const half = Math.floor(mem.length / 2);
    const slope = (part: typeof mem) => fitLine(part.map((m) => m.storageOps / 1e6), part.map((m) => m.rssBytes / 2 ** 20));
    const head = slope(mem.slice(1, half + 1));
    const fit = slope(mem.slice(half));
    // Growth that keeps at least half its early rate to the end does not level off.
    const levels = fit.slope < 0.5 || fit.slope < head.slope / 2;
    const total = mem.at(-1)!;
    md.push(
      '### Resident memory over millions of storage operations',
      '',
      `The /churn action runs ${config.opsPerRequest} storage operations per request (set, get, remove over 1000 rotating keys, so the data stays small), ` +
        `for ${Math.round(total.seconds)} s; the server's RSS is sampled ${mem.length - 1} times. A store that frees what it allocates levels off; a leak keeps growing.`,
      '',
      table(
        ['Storage operations', 'Seconds', 'RSS (MiB)'],
        mem.map((m) => [formatCount(m.storageOps), m.seconds.toFixed(0), (m.rssBytes / 2 ** 20).toFixed(1)]),
      ),
      '',
      `Over the second half of the run RSS grows by **${fit.slope.toFixed(2)} MiB per million storage operations** (least squares, r² ${fit.r2.toFixed(2)}; first half ${head.slope.toFixed(2)}); ` +
        `from start to end: ${((total.rssBytes - mem[0]!.rssBytes) / 2 ** 20).toFixed(1)} MiB over ${formatCount(total.storageOps)} operations. ` +
        (levels
          ? 'The growth levels off: no sign of a leak.'
          : 'The growth does not level off: **a leak** (reports/titanpl-server-7.0.1.md, S3: every `t.ls.get` leaks the string it returns).'),
      '',
    );
  }
  return md;
}
