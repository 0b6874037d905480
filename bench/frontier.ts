/**
 * The durability–speed frontier: for each store, the typical cost of an `ls.set` at 1 000 keys
 * (interleaved rounds in this process) beside the loss window observed when its process is SIGKILLed
 * mid-stream (LOSS-BOUNDED's kill rounds, conformance/properties/bounded-loss.ts) and over the crash
 * states of a power cut (its strace replay, conformance/powerloss/bounded.ts). For Redis the SIGKILL
 * is the server's (crash and restart on the same append-only file); its power loss is not observable
 * here and is reported as documented, not measured.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Implementation, Storage } from '../spec/contract.js';
import { describePersistence, persistencePromise } from '../spec/persistence.js';
import { driverImplementation, type DriverStorage } from '../conformance/driver/client.js';
import { Harness } from '../conformance/harness.js';
import { hostCommand, shellQuote } from '../conformance/host/command.js';
import { sigkillRounds } from '../conformance/properties/bounded-loss.js';
import type { ProcessStore } from '../conformance/properties/process-backed.js';
import { powerLossWindow } from '../conformance/powerloss/bounded.js';
import { CrashStateReader } from '../conformance/powerloss/materialize.js';
import { recorderProblem } from '../conformance/powerloss/record.js';
import { mulberry32 } from './random.js';
import { quantile } from './stats.js';
import { REPO_ROOT } from './stores.js';

/** A loss window as measured: milliseconds, or why there is no number. */
export type Window =
  | { kind: 'ms'; ms: number; lost: number; trials: string; all?: boolean }
  | { kind: 'everything'; why: string }
  | { kind: 'older-data'; why: string; trials: string }
  | { kind: 'documented'; ms: number; why: string }
  | { kind: 'not-measured'; why: string };

export interface FrontierPoint {
  readonly id: string;
  readonly label: string;
  readonly declared: string;
  /** ls.set at `keys` keys: median over rounds and a 95% bootstrap CI of the median (ns). */
  readonly setNs: { p50: number; lo: number; hi: number; rounds: number } | null;
  readonly sigkill: Window;
  readonly powerLoss: Window;
}

export interface Frontier {
  readonly keys: number;
  readonly valueBytes: number;
  readonly points: FrontierPoint[];
  readonly durationMs: number;
  /** Set when the frontier was measured in another run than the rest of the report (which run, when, under what load). */
  readonly measuredSeparately?: string;
}

interface FrontierStore {
  id: string;
  label: string;
  module: string;
  env?: Record<string, string>;
  redis?: 'always' | 'everysec';
}

const STORES: FrontierStore[] = [
  { id: 'memory', label: 'memory (the note\'s after)', module: 'reference/memory.ts' },
  ...[10, 100, 1000].map((w) => ({ id: `hybrid-${w}`, label: `hybrid, ${w} ms window`, module: 'reference/hybrid.ts', env: { TITAN_HYBRID_WINDOW_MS: String(w) } })),
  { id: 'file-faithful', label: 'file, truncate + rewrite (the note\'s before)', module: 'reference/file-faithful.ts' },
  { id: 'file', label: 'file, temp + fsync + rename', module: 'reference/file.ts' },
  { id: 'sqlite', label: 'SQLite WAL, synchronous=FULL', module: 'reference/sqlite.ts' },
  { id: 'sqlite-normal', label: 'SQLite WAL, synchronous=NORMAL', module: 'reference/sqlite-normal.ts' },
  { id: 'redis', label: 'Redis AOF, appendfsync always', module: 'reference/redis.ts', redis: 'always' },
  { id: 'redis-everysec', label: 'Redis AOF, appendfsync everysec', module: 'reference/redis.ts', redis: 'everysec' },
];

export interface FrontierConfig {
  quick: boolean;
  root: string;
  seed: number;
  keys: number;
  valueBytes: number;
  progress: (what: string) => void;
}

function withEnv<T>(env: Record<string, string> | undefined, f: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(env ?? {}).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return f().finally(() => {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

/** The implementation, imported fresh (a module reading its environment at import gets `env`). */
async function importStore(s: FrontierStore): Promise<Implementation> {
  const url = `${pathToFileURL(join(REPO_ROOT, s.module)).href}?frontier=${s.id}`;
  return withEnv(s.env, async () => ((await import(url)) as { default: Implementation }).default);
}

function commandFor(s: FrontierStore): string {
  const env = Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...env, hostCommand(join(REPO_ROOT, s.module))].join(' ');
}

/** The median of `xs` with a 95% percentile-bootstrap CI. */
function medianCi(xs: readonly number[], seed: number): { p50: number; lo: number; hi: number; rounds: number } {
  const rand = mulberry32(seed);
  const meds: number[] = [];
  for (let i = 0; i < 2000; i++) meds.push(quantile(xs.map(() => xs[Math.floor(rand() * xs.length)]!), 0.5));
  return { p50: quantile(xs, 0.5), lo: quantile(meds, 0.025), hi: quantile(meds, 0.975), rounds: xs.length };
}

interface Opened {
  s: FrontierStore;
  storage: Storage;
  batch: number;
  samples: number[];
  dispose: () => Promise<void>;
}

/** Typical ls.set at `keys` keys for every store, in interleaved rounds (each round visits the stores in a rotated order). */
async function measureSets(cfg: FrontierConfig, opened: Opened[]): Promise<void> {
  const rounds = cfg.quick ? 5 : 15;
  const value = 'v'.repeat(cfg.valueBytes);
  const rand = mulberry32(cfg.seed);
  const timeBatch = async (o: Opened, n: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await o.storage.ls.set(`key${Math.floor(rand() * cfg.keys)}`, value);
    return Number(process.hrtime.bigint() - t0) / n;
  };
  // Batches of ~20 ms (50 ms in a full run), so a store with a timer-driven commit is measured across several commits.
  const batchNs = cfg.quick ? 20e6 : 50e6;
  for (const o of opened) {
    await timeBatch(o, 3);
    o.batch = Math.max(3, Math.min(20_000, Math.round(batchNs / (await timeBatch(o, 5)))));
  }
  for (let r = 0; r < rounds; r++) {
    cfg.progress(`frontier: ls.set round ${r + 1} of ${rounds}`);
    for (let i = 0; i < opened.length; i++) {
      const o = opened[(i + r) % opened.length]!;
      o.samples.push(await timeBatch(o, o.batch));
    }
  }
}

async function openInProcess(cfg: FrontierConfig, s: FrontierStore, redisUrl?: string): Promise<Opened> {
  const impl = redisUrl ? (await import('../reference/redis.js')).redisImplementation({ url: redisUrl, appendfsync: s.redis }) : await importStore(s);
  const storage = await impl.open({ dir: mkdtempSync(join(cfg.root, `frontier-${s.id}-`)) });
  for (let i = 0; i < cfg.keys; i++) await storage.ls.set(`key${i}`, 'v'.repeat(cfg.valueBytes));
  return { s, storage, batch: 1, samples: [], dispose: async () => void (await storage.close?.()) };
}

/** SIGKILL rounds on the store served from its own process. */
async function sigkillWindow(cfg: FrontierConfig, s: FrontierStore, windowMs: number, open: (dir?: string) => Promise<ProcessStore>): Promise<Window> {
  const kills = cfg.quick ? 3 : 6;
  const r = await sigkillRounds(open, cfg.seed, Math.max(windowMs, 100), kills);
  const trials = `${kills} kills, ${r.acked} acknowledged writes`;
  if (r.hole) return { kind: 'older-data', why: `kill ${r.hole.round}: ${r.hole.why}`, trials };
  return { kind: 'ms', ms: r.windowMs, lost: r.lost, trials, ...(r.worstAll ? { all: true } : {}) };
}

async function hosted(cfg: FrontierConfig, s: FrontierStore): Promise<{ open: (dir?: string) => Promise<ProcessStore>; dispose: () => Promise<void> }> {
  const impl = await driverImplementation(commandFor(s), { prespawn: 2, requestTimeoutMs: 30_000 });
  return {
    open: async (dir) => {
      const d = dir ?? mkdtempSync(join(cfg.root, `frontier-kill-${s.id}-`));
      const storage = (await impl.open({ dir: d })) as DriverStorage;
      return { dir: d, storage, h: new Harness(storage, d, 30_000) };
    },
    dispose: () => impl.dispose(),
  };
}

async function powerLoss(cfg: FrontierConfig, s: FrontierStore, windowMs: number): Promise<Window> {
  const noRecorder = recorderProblem();
  if (noRecorder) return { kind: 'not-measured', why: noRecorder };
  const command = commandFor(s);
  const verifier = new CrashStateReader(command, { requestTimeoutMs: 30_000 });
  try {
    const budget = cfg.quick ? 6 : 16;
    const r = await powerLossWindow({ command, verifier, scratch: mkdtempSync(join(cfg.root, `frontier-pl-${s.id}-`)), seed: cfg.seed, windowMs: Math.max(windowMs, 100), budget, deadline: Date.now() + 60_000, timeoutMs: 30_000 });
    const trials = `${r.tried} crash states`;
    if (r.unobservable) return { kind: 'not-measured', why: r.unobservable };
    if (r.broken) return { kind: 'older-data', why: r.broken, trials };
    return { kind: 'ms', ms: r.windowMs, lost: r.lost, trials, ...(r.worstAll ? { all: true } : {}) };
  } finally {
    await verifier.dispose();
  }
}

export async function measureFrontier(cfg: FrontierConfig): Promise<Frontier> {
  const started = Date.now();
  const h = (await import(pathToFileURL(join(REPO_ROOT, 'test/helpers/redis-server.ts')).href)) as typeof import('../test/helpers/redis-server.js');
  const haveRedis = h.findRedisServer() !== null;
  const servers = new Map<string, Awaited<ReturnType<typeof h.startRedis>>>();
  const opened: Opened[] = [];
  const points: FrontierPoint[] = [];
  try {
    for (const s of STORES) {
      if (s.redis && !haveRedis) continue;
      if (s.redis) servers.set(s.id, await h.startRedis({ appendfsync: s.redis }));
      cfg.progress(`frontier: filling ${s.id} with ${cfg.keys} keys`);
      opened.push(await openInProcess(cfg, s, servers.get(s.id)?.url));
    }
    await measureSets(cfg, opened);
    for (const o of opened) await o.dispose();
    for (const s of STORES) {
      const o = opened.find((x) => x.s === s);
      const impl = s.redis ? (await import('../reference/redis.js')).redisImplementation({ url: 'redis://127.0.0.1:1', appendfsync: s.redis }) : await importStore(s);
      const promise = persistencePromise(impl.capabilities.persistence);
      const point = { id: s.id, label: s.label, declared: describePersistence(impl.capabilities.persistence), setNs: o ? medianCi(o.samples, cfg.seed) : null };
      if (!o) {
        const why = 'redis-server is not on PATH (apt-get install -y redis-server)';
        points.push({ ...point, sigkill: { kind: 'not-measured', why }, powerLoss: { kind: 'not-measured', why } });
        continue;
      }
      if (promise.kind === 'volatile') {
        points.push({ ...point, sigkill: { kind: 'everything', why: 'volatile: nothing is written' }, powerLoss: { kind: 'everything', why: 'volatile: nothing is written' } });
        continue;
      }
      cfg.progress(`frontier: SIGKILL rounds on ${s.id}`);
      let sigkill: Window = { kind: 'not-measured', why: 'not reached' };
      try {
      if (s.redis) {
        const server = servers.get(s.id)!;
        const redisImpl = (await import('../reference/redis.js')).redisImplementation({ url: server.url, appendfsync: s.redis });
        sigkill = await sigkillWindow(cfg, s, promise.windowMs, async (dir) => {
          const d = dir ?? mkdtempSync(join(cfg.root, `frontier-kill-${s.id}-`));
          const storage = await redisImpl.open({ dir: d });
          // The crash is the server's: SIGKILL it and start it again on the same append-only file.
          const kill = async () => {
            await server.halt({ crash: true });
            await server.start();
            await storage.close?.();
          };
          const s2 = Object.assign(storage, { kill }) as unknown as DriverStorage;
          return { dir: d, storage: s2, h: new Harness(storage, d, 30_000) };
        });
      } else {
        const p = await hosted(cfg, s);
        try {
          sigkill = await sigkillWindow(cfg, s, promise.windowMs, p.open);
        } finally {
          await p.dispose();
        }
      }
      } catch (e) {
        sigkill = { kind: 'not-measured', why: `the measurement failed: ${(e as Error).message}` };
      }
      cfg.progress(`frontier: power-loss crash states of ${s.id}`);
      let powerLossSeen: Window;
      try {
        powerLossSeen = s.redis
          ? { kind: 'documented', ms: s.redis === 'always' ? 0 : 2000, why: s.redis === 'always' ? 'Redis fsyncs the append-only file before each reply' : 'Redis fsyncs once a second and may postpone a late fsync by one more second' }
          : await powerLoss(cfg, s, promise.windowMs);
      } catch (e) {
        powerLossSeen = { kind: 'not-measured', why: `the measurement failed: ${(e as Error).message}` };
      }
      points.push({ ...point, sigkill, powerLoss: powerLossSeen });
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
  return { keys: cfg.keys, valueBytes: cfg.valueBytes, points, durationMs: Date.now() - started };
}
