/** Load on one server: `connections` clients, each sending requests back to back on its own keep-alive connection. */
import type { TitanServer } from '../../adapters/titanpl-server/server.js';
import { cpuTimeNs } from './proc.js';

export interface LoadResult {
  rps: number;
  cpuNs: number;
  latencyUs: number;
}

export async function hammer(server: TitanServer, path: string, body: unknown, connections: number, ms: number): Promise<LoadResult> {
  const pid = server.pid!;
  const cpu0 = cpuTimeNs(pid);
  const t0 = performance.now();
  const until = t0 + ms;
  let requests = 0;
  let latency = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < until) {
        const s = performance.now();
        await server.post(path, body, c);
        latency += performance.now() - s;
        requests++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const n = Math.max(1, requests);
  return { rps: requests / seconds, cpuNs: (cpuTimeNs(pid) - cpu0) / n, latencyUs: (latency / n) * 1000 };
}
