/**
 * What a request to the real TitanPL server costs: requests/s of a no-op action, one t.ls.get and
 * one t.ls.set (keep-alive connections on loopback, the three interleaved in rounds, ratios with
 * bootstrap CIs), and the server's resident memory as millions of storage operations go by.
 * Runs inside a network namespace with only loopback (bench/server/run.ts sees to it).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { TitanServer } from '../../adapters/titanpl-server/server.js';
import { mean, quantile, ratioOfMeansBootstrap } from '../stats.js';
import { mulberry32 } from '../random.js';

export type Endpoint = 'noop' | 'get' | 'set';
export const ENDPOINTS: readonly Endpoint[] = ['noop', 'get', 'set'];

export interface ServerBenchConfig {
  rounds: number;
  roundMs: number;
  connections: number;
  memoryMs: number;
  /** Storage operations per request of the memory run (the /op action in a loop would cost a request per op). */
  opsPerRequest: number;
}

export interface ServerBench {
  server: string;
  config: ServerBenchConfig;
  /** Requests per second, one entry per round. */
  rps: Record<Endpoint, number[]>;
  /** Mean latency per request in µs, one entry per round. */
  latencyUs: Record<Endpoint, number[]>;
  /** Requests/s ratio to the no-op action, with a 95% bootstrap CI over rounds. */
  ratios: { endpoint: 'get' | 'set'; ratio: number; ciLow: number; ciHigh: number }[];
  /** Resident memory of the server process against the number of storage operations done. */
  memory: { storageOps: number; rssBytes: number; seconds: number }[];
  /** 1-minute load average of the machine at the start and the end (a busy machine widens every interval). */
  loadAverage?: [number, number];
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** `connections` clients, each sending `path` back to back on its own connection, for `ms`. */
async function hammer(server: TitanServer, path: string, body: unknown, connections: number, ms: number, clientBase: number): Promise<{ requests: number; latencyUs: number }> {
  const until = performance.now() + ms;
  let requests = 0;
  let latency = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await server.post(path, body, clientBase + c);
        latency += performance.now() - t0;
        requests++;
      }
    }),
  );
  return { requests, latencyUs: (latency / Math.max(1, requests)) * 1000 };
}

export async function measureServer(config: ServerBenchConfig, progress: (s: string) => void = () => {}): Promise<ServerBench> {
  const server = new TitanServer();
  const loadStart = loadavg()[0]!;
  try {
    await server.ready();
    const rps = { noop: [], get: [], set: [] } as Record<Endpoint, number[]>;
    const latencyUs = { noop: [], get: [], set: [] } as Record<Endpoint, number[]>;
    await server.post('/set', {}); // the key the get reads exists from the start
    await hammer(server, '/noop', {}, config.connections, 500, 0); // warm-up: connections, JIT in every isolate
    const rand = mulberry32(1);
    for (let r = 0; r < config.rounds; r++) {
      // A fresh random order each round, so a slow phase of the machine does not always hit the same endpoint.
      const order = [...ENDPOINTS].sort(() => rand() - 0.5);
      for (const e of order) {
        const t0 = performance.now();
        const { requests, latencyUs: lat } = await hammer(server, `/${e}`, {}, config.connections, config.roundMs, 0);
        rps[e].push(requests / ((performance.now() - t0) / 1000));
        latencyUs[e].push(lat);
      }
      progress(`round ${r + 1}/${config.rounds}: ${ENDPOINTS.map((e) => `${e} ${Math.round(rps[e].at(-1)!)}/s`).join(', ')}`);
    }
    const ratios = (['get', 'set'] as const).map((endpoint) => {
      const est = ratioOfMeansBootstrap(rps[endpoint], rps.noop);
      return { endpoint, ratio: est.ratio, ciLow: est.low, ciHigh: est.high };
    });
    const memory = await memoryCurve(server, config, progress);
    return { server: 'titan-server 7.0.1 + @titanpl/core 3.0.7 (4 worker isolates)', config, rps, latencyUs, ratios, memory, loadAverage: [loadStart, loadavg()[0]!] };
  } finally {
    await server.kill();
  }
}

/** Storage operations in batches (set, get, remove over a rotating pool of keys) while sampling RSS. */
async function memoryCurve(server: TitanServer, config: ServerBenchConfig, progress: (s: string) => void): Promise<ServerBench['memory']> {
  const pid = server.pid!;
  const memory: ServerBench['memory'] = [{ storageOps: 0, rssBytes: rssOf(pid), seconds: 0 }];
  const start = performance.now();
  let ops = 0;
  let batch = 0;
  const samples = 12;
  for (let s = 1; s <= samples; s++) {
    const until = start + (config.memoryMs * s) / samples;
    await Promise.all(
      Array.from({ length: config.connections }, async (_, c) => {
        while (performance.now() < until) {
          await server.post('/churn', { n: config.opsPerRequest, offset: (batch++ * config.opsPerRequest) % 100_000 }, 100 + c);
          ops += config.opsPerRequest;
        }
      }),
    );
    memory.push({ storageOps: ops, rssBytes: rssOf(pid), seconds: (performance.now() - start) / 1000 });
    progress(`memory: ${(ops / 1e6).toFixed(1)} M storage ops, RSS ${(memory.at(-1)!.rssBytes / 2 ** 20).toFixed(1)} MiB`);
  }
  return memory;
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);
export { mean };
