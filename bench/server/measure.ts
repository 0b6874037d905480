/**
 * What a request to the real TitanPL server costs on each storage library: requests/s and server
 * CPU per request of a no-op action and of one t.ls.get, t.ls.set or t.session.set, at several
 * store sizes, the libraries interleaved in rounds; t.ls.get with 1, 2 and 4 connections; and each
 * server's resident memory over millions of storage operations. Runs inside a network namespace
 * with only loopback (bench/server/run.ts sees to it).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { TitanServer } from '../../adapters/titanpl-server/server.js';
import { mulberry32 } from '../random.js';
import { filesystemOf } from '../env.js';
import { hammer } from './client.js';
import { CLOCK_TICKS, rssBytes } from './proc.js';
import type { BenchTarget } from './targets.js';
import { ENDPOINTS, ROUTE, type Endpoint, type MemoryPoint, type ServerBench, type ServerBenchConfig, type ServerCell, type ServerLibraryRun } from './types.js';

export const FULL: ServerBenchConfig = {
  quick: false,
  rounds: 8,
  roundMs: 500,
  connections: 2,
  sizes: [10, 1_000, 10_000],
  writeSizes: [10, 100, 1_000, 3_000, 10_000],
  valueBytes: 100,
  concurrency: [1, 2, 4],
  concurrencyKeys: 1_000,
  memoryMs: 30_000,
  memorySamples: 8,
  opsPerRequest: 300,
};

export const QUICK: ServerBenchConfig = {
  ...FULL,
  quick: true,
  rounds: 2,
  roundMs: 120,
  sizes: [10, 1_000],
  writeSizes: [10, 1_000],
  concurrency: [1, 2],
  // A curve needs a million operations per library to say anything: not in the quick variant.
  memoryMs: 0,
  memorySamples: 0,
};

/** One short round of every kind of task, no memory run: for the test that the measurement runs end to end. */
export const SMOKE: ServerBenchConfig = {
  ...QUICK,
  rounds: 1,
  roundMs: 60,
  sizes: [10],
  writeSizes: [10],
  concurrency: [1, 2],
  concurrencyKeys: 10,
};

const FILL_BATCH = 2_000;

interface Task {
  endpoint: Endpoint;
  connections: number;
}

/** The tasks at one store size: the request table's, the write-cost point, the concurrency series. */
function tasksAt(config: ServerBenchConfig, keys: number): Task[] {
  const tasks: Task[] = [];
  if (config.sizes.includes(keys)) tasks.push(...ENDPOINTS.map((endpoint) => ({ endpoint, connections: config.connections })));
  else if (config.writeSizes.includes(keys)) tasks.push({ endpoint: 'ls.set', connections: config.connections });
  if (keys === config.concurrencyKeys) {
    for (const c of config.concurrency) if (!tasks.some((t) => t.endpoint === 'ls.get' && t.connections === c)) tasks.push({ endpoint: 'ls.get', connections: c });
  }
  return tasks;
}

const shuffle = <T>(xs: readonly T[], rand: () => number): T[] => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};

/** One scratch directory per working root (the default one, tmpfs), made on first use and removed at the end. */
class WorkDirs {
  private readonly made = new Map<string, string>();
  constructor(private readonly root: string) {}
  of(target: BenchTarget): string {
    const root = target.workRoot ?? this.root;
    if (!this.made.has(root)) this.made.set(root, mkdtempSync(join(root, 'titan-server-bench-')));
    return this.made.get(root)!;
  }
  remove(): void {
    for (const d of this.made.values()) rmSync(d, { recursive: true, force: true });
  }
}

interface Live {
  target: BenchTarget;
  run: ServerLibraryRun;
  server?: TitanServer;
}

/** Start one server per library in `dir`/<id>, filled to `keys` keys; a library that cannot start is reported and left out. */
async function startAll(lives: Live[], dirs: WorkDirs, keys: number, config: ServerBenchConfig, say: (s: string) => void): Promise<void> {
  await Promise.all(
    lives.map(async (l) => {
      if (l.run.skipped) return;
      const cwd = join(dirs.of(l.target), `${l.target.id}-${keys}`);
      mkdirSync(cwd, { recursive: true });
      try {
        l.target.seed?.(cwd, keys, config.valueBytes);
        l.server = l.target.start(cwd);
        await l.server.ready();
        await fill(l.server, keys, config.valueBytes);
        await l.server.post('/set', {}); // the key /get reads
        await hammer(l.server, '/noop', {}, config.connections, config.quick ? 100 : 300); // JIT and connections warm in every isolate
      } catch (e) {
        const message = `start with ${keys} keys: ${(e as Error).message}${l.server ? `; last log lines: ${l.server.lastLogLines(4).join(' / ')}` : ''}`;
        (l.run.failures ??= []).push(message);
        say(`FAILED ${l.target.id} ${message}`);
        await l.server?.kill();
        l.server = undefined;
      }
    }),
  );
}

/** Fill to `keys` local keys (and as many session entries), whatever the server already loaded; checks the count. */
async function fill(server: TitanServer, keys: number, bytes: number): Promise<void> {
  // Keys bench-0 … bench-<have - 1> are there already (a library that loads its file at start has them all).
  let have = ((await server.post('/fill', { from: 0, n: 0, bytes })) as { keys: number }).keys;
  while (have < keys) {
    const before = have;
    have = ((await server.post('/fill', { from: have, n: Math.min(FILL_BATCH, keys - have), bytes }, 0, 60_000)) as { keys: number }).keys;
    if (have <= before) throw new Error(`filling from ${before} keys added none`);
  }
  if (have !== keys) throw new Error(`the store holds ${have} keys after filling to ${keys}`);
}

async function stopAll(lives: Live[]): Promise<void> {
  await Promise.all(lives.map(async (l) => { await l.server?.kill(); l.server = undefined; }));
}

export async function measureServer(targets: BenchTarget[], config: ServerBenchConfig, workRoot: string, say: (s: string) => void = () => {}): Promise<Omit<ServerBench, 'workDirFs'>> {
  const started = Date.now();
  const loadStart = loadavg()[0]!;
  const dirs = new WorkDirs(workRoot);
  const lives: Live[] = targets.map((target) => {
    const skipped = target.missing();
    return { target, run: { id: target.id, role: target.role, label: target.label, returnedStrings: target.returnedStrings, ...(target.memorySkipped ? { memorySkipped: target.memorySkipped } : {}), workDirFs: filesystemOf(target.workRoot ?? workRoot), ...(skipped ? { skipped } : {}) } };
  });
  for (const l of lives) if (l.run.skipped) say(`${l.target.id} skipped: ${l.run.skipped}`);
  const cells = new Map<string, ServerCell>();
  const cellOf = (library: string, keys: number, t: Task) => {
    const key = `${library}|${keys}|${t.endpoint}|${t.connections}`;
    if (!cells.has(key)) cells.set(key, { library, endpoint: t.endpoint, keys, connections: t.connections, rps: [], cpuNs: [], latencyUs: [] });
    return cells.get(key)!;
  };
  const rand = mulberry32(2026);
  const memory: ServerBench['memory'] = [];
  try {
    const allSizes = [...new Set([...config.sizes, ...config.writeSizes, config.concurrencyKeys])].sort((a, b) => a - b);
    for (const keys of allSizes) {
      const tasks = tasksAt(config, keys);
      if (tasks.length === 0) continue;
      await startAll(lives, dirs, keys, config, say);
      for (let r = 0; r < config.rounds; r++) {
        // A fresh order of tasks and of libraries within each, so a slow phase of the machine hits no one library more than another.
        for (const t of shuffle(tasks, rand)) {
          for (const l of shuffle(lives, rand)) {
            if (l.run.skipped) continue;
            const cell = cellOf(l.target.id, keys, t);
            if (!l.server) {
              cell.rps.push(NaN); cell.cpuNs.push(NaN); cell.latencyUs.push(NaN);
              continue;
            }
            try {
              const m = await hammer(l.server, ROUTE[t.endpoint], {}, t.connections, config.roundMs);
              cell.rps.push(m.rps); cell.cpuNs.push(m.cpuNs); cell.latencyUs.push(m.latencyUs);
            } catch (e) {
              cell.rps.push(NaN); cell.cpuNs.push(NaN); cell.latencyUs.push(NaN);
              const message = `${t.endpoint} at ${keys} keys, ${t.connections} connection(s): ${(e as Error).message}; the server ${l.server.describeExit()}`;
              (l.run.failures ??= []).push(message);
              say(`FAILED ${l.target.id} ${message}`);
              if (!l.server.alive) l.server = undefined;
            }
          }
        }
        say(`${keys} keys, round ${r + 1}/${config.rounds}: ${lives.filter((l) => l.server).map((l) => `${l.target.id} ${tasks.map((t) => `${t.endpoint}${t.connections === config.connections ? '' : `×${t.connections}`} ${Math.round(cellOf(l.target.id, keys, t).rps.at(-1)!)}/s`).join(' ')}`).join('; ')}`);
      }
      await stopAll(lives);
    }
    if (config.memoryMs > 0) memory.push(...(await memoryCurves(lives, dirs, config, say)));
  } finally {
    await stopAll(lives);
    dirs.remove();
  }
  return {
    schema: 2,
    server: 'titan-server 7.0.1 (4 worker isolates), the app of adapters/titanpl-server/app built by titanpl\'s bundler',
    config,
    libraries: lives.map((l) => l.run),
    cells: [...cells.values()],
    memory,
    loadAverage: [loadStart, loadavg()[0]!],
    workDir: workRoot,
    clockTicks: CLOCK_TICKS,
    durationMs: Date.now() - started,
  };
}

/** Storage operations in /churn requests (set, get, remove over 1 000 rotating keys), the libraries in interleaved slices, RSS sampled after each. */
async function memoryCurves(all: Live[], dirs: WorkDirs, config: ServerBenchConfig, say: (s: string) => void): Promise<ServerBench['memory']> {
  const lives = all.filter((l) => !l.target.memorySkipped);
  await startAll(lives, dirs, 0, config, say);
  const curves = lives.filter((l) => l.server).map((l) => ({ l, ops: 0, batch: 0, points: [{ storageOps: 0, rssBytes: rssBytes(l.server!.pid!), seconds: 0 }] as MemoryPoint[], busyMs: 0 }));
  const slice = config.memoryMs / config.memorySamples;
  for (let s = 1; s <= config.memorySamples; s++) {
    for (const c of curves) {
      const server = c.l.server;
      if (!server) continue;
      const t0 = performance.now();
      const until = t0 + slice;
      try {
        await Promise.all(
          Array.from({ length: config.connections }, async (_, k) => {
            while (performance.now() < until) {
              await server.post('/churn', { n: config.opsPerRequest, offset: (c.batch++ * config.opsPerRequest) % 1_000 }, k);
              c.ops += config.opsPerRequest;
            }
          }),
        );
      } catch (e) {
        const message = `memory run: ${(e as Error).message}; the server ${server.describeExit()}`;
        (c.l.run.failures ??= []).push(message);
        say(`FAILED ${c.l.target.id} ${message}`);
        await server.kill();
        c.l.server = undefined;
        continue;
      }
      c.busyMs += performance.now() - t0;
      c.points.push({ storageOps: c.ops, rssBytes: rssBytes(server.pid!), seconds: c.busyMs / 1000 });
    }
    say(`memory ${s}/${config.memorySamples}: ${curves.map((c) => `${c.l.target.id} ${(c.ops / 1e6).toFixed(2)} M ops, RSS ${(c.points.at(-1)!.rssBytes / 2 ** 20).toFixed(1)} MiB`).join('; ')}`);
  }
  await stopAll(lives);
  return curves.map((c) => ({ library: c.l.target.id, points: c.points }));
}
