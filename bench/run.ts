/**
 * npm run bench [-- --quick] [-- --out DIR] [-- --only id,id] [-- --rounds N] [-- --tmp DIR]
 *
 * Measures every store of bench/stores.ts through the Implementation contract and writes
 * DIR/perf.json (raw results + environment), DIR/perf.md and DIR/charts/*.svg (default DIR:
 * reports/). Run it with `node --expose-gc --import tsx` (the npm script does) so the heap is
 * collected between tasks. Progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import { describePersistence } from '../spec/persistence.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDataset } from './dataset.js';
import { collectEnvironment } from './env.js';
import { Fixture, fixtureDir } from './fixture.js';
import { gcAvailable, getChecksum, measureTask, MIXED_MIN_BATCH, type BatchBody, type TaskOptions } from './measure.js';
import { OP_NAMES, opBody } from './ops.js';
import { Progress } from './progress.js';
import { ratioOfMeansBootstrap, fitLine } from './stats.js';
import { measureScaling } from './scaling.js';
import { measureFrontier } from './frontier.js';
import { writeReport } from './write-report.js';
import { loadServerBench } from './server/load.js';
import { FLOORS, REPO_ROOT, STORES, type LoadedStore } from './stores.js';
import type { BenchConfig, Distribution, OpName, OpResult, PerfReport, RatioResult, ScalingResult, StoreInfo, Timing, WorkloadResult, WriteScaling } from './types.js';
import { WORKLOADS, workloadBody, type WorkloadSpec } from './workloads.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    tmp: { type: 'string' },
    rounds: { type: 'string' },
    'skip-server': { type: 'boolean', default: false },
  },
});

const FULL: BenchConfig = {
  quick: false,
  sizes: [10, 1_000, 10_000, 100_000],
  valueBytes: 100,
  workloadKeys: 10_000,
  workloadValueBytes: [100, 1024],
  workloadUniform: true,
  taskTimeMs: 100,
  warmupTimeMs: 20,
  minSamples: 5,
  targetBatchNs: 50_000,
  maxBatch: 1000,
  ratioKeys: 1_000,
  ratioRounds: 10,
  ratioTaskTimeMs: 60,
  writeScalingSizes: [10, 100, 1_000, 2_500, 5_000, 10_000],
  scalingKeys: 10_000,
  scalingDurationMs: 1000,
};

const QUICK: BenchConfig = {
  ...FULL,
  quick: true,
  sizes: [10, 1_000],
  workloadKeys: 1_000,
  workloadValueBytes: [100],
  workloadUniform: false,
  taskTimeMs: 12,
  warmupTimeMs: 4,
  minSamples: 2,
  ratioRounds: 2,
  ratioTaskTimeMs: 12,
  writeScalingSizes: [10, 100, 1_000],
  scalingKeys: 1_000,
  scalingDurationMs: 150,
};

const RATIO_BEFORE = ['file-faithful', 'file'];
const RATIO_AFTER = 'memory';
const RATIO_OPS: OpName[] = ['ls.get', 'ls.set', 'session.get', 'session.set'];
const RATIO_WORKLOADS: WorkloadSpec['id'][] = ['A', 'B'];
const WRITE_SCALING_STORES = ['file-faithful', 'file', 'memory'];

interface Measured {
  id: string;
  info: StoreInfo;
  loaded: LoadedStore;
}

// Exit through process.exit on Ctrl-C / kill, so exit hooks stop what the run started (redis-server).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function main(): Promise<void> {
  const config = { ...(args.quick ? QUICK : FULL), ...(args.rounds ? { ratioRounds: Math.max(2, Number(args.rounds)) } : {}) };
  const outDir = resolve(args.out ?? join(REPO_ROOT, 'reports'));
  const only = args.only?.split(',').map((s) => s.trim());
  const loadAverageStart = os.loadavg();
  const root = mkdtempSync(join(resolve(args.tmp ?? os.tmpdir()), 'titan-bench-'));
  const started = Date.now();
  const taskOptions = (isAsync: boolean, timeMs = config.taskTimeMs, warmupMs = config.warmupTimeMs, mixed = false): TaskOptions => ({
    isAsync,
    mixed,
    timeMs,
    warmupMs,
    targetBatchNs: config.targetBatchNs,
    maxBatch: config.maxBatch,
    minSamples: config.minSamples,
  });
  if (!gcAvailable) process.stderr.write('warning: run with node --expose-gc so the heap is collected between tasks\n');

  // Load every store: a floor always loads; a store may be skipped with a reason.
  const stores: Measured[] = FLOORS.filter((f) => !only || only.includes(f.id)).map((f) => ({
    id: f.id,
    info: { id: f.id, label: f.label, role: 'floor', included: true, async: false, maxKeys: Math.max(...config.sizes) },
    loaded: { impl: { name: f.id, capabilities: { persistence: 'volatile', sharing: 'isolate' }, open: () => f.open() }, holdsData: f.id !== 'floor/noop' },
  }));
  const infos: StoreInfo[] = stores.map((s) => s.info);
  for (const entry of STORES) {
    if (only && !only.includes(entry.id)) continue;
    process.stderr.write(`loading ${entry.id}… `);
    const r = await entry.load();
    const base = { id: entry.id, label: entry.label, role: entry.role, module: entry.module, maxKeys: entry.maxKeys, capReason: entry.capReason };
    if ('skipped' in r) {
      process.stderr.write(`skipped: ${r.skipped}\n`);
      infos.push({ ...base, included: false, skipped: r.skipped });
      continue;
    }
    process.stderr.write('ok\n');
    const info: StoreInfo = { ...base, included: true, persistence: describePersistence(r.impl.capabilities.persistence), sharing: r.impl.capabilities.sharing, notes: r.notes };
    infos.push(info);
    stores.push({ id: entry.id, info, loaded: r });
  }

  const sizesFor = (s: Measured, sizes: number[]) => sizes.filter((n) => n <= s.info.maxKeys);
  const byId = new Map(stores.map((s) => [s.id, s]));
  const distributionsFor = (w: WorkloadSpec): Distribution[] => (config.workloadUniform ? [w.distribution, 'uniform'] : [w.distribution]);
  const ratioStores = [...RATIO_BEFORE, RATIO_AFTER].filter((id) => byId.has(id));
  const canRatio = byId.has(RATIO_AFTER) && RATIO_BEFORE.some((id) => byId.has(id));
  const scalingTargets = stores.filter((s) => s.info.role !== 'floor' && (s.id === 'memory' || s.info.sharing !== 'isolate'));

  const total =
    stores.reduce((a, s) => a + sizesFor(s, config.sizes).length * OP_NAMES.length, 0) +
    stores.filter((s) => WRITE_SCALING_STORES.includes(s.id)).reduce((a, s) => a + sizesFor(s, config.writeScalingSizes).length, 0) +
    stores.length * config.workloadValueBytes.length * WORKLOADS.length * (config.workloadUniform ? 2 : 1) +
    (canRatio ? config.ratioRounds * ratioStores.length * (RATIO_OPS.length + RATIO_WORKLOADS.length) : 0) +
    scalingTargets.length * 2;
  const progress = new Progress(total);

  const fail = (s: Measured, task: string, e: unknown) => {
    const message = `${task}: ${e instanceof Error ? e.message : String(e)}`;
    (s.info.failures ??= []).push(message);
    progress.note(`FAILED ${s.id} ${message}`);
  };
  const open = async (s: Measured, keys: number, valueBytes: number, label: string, sessions = true) => {
    const fx = await Fixture.open(s.loaded, makeDataset(keys, valueBytes, { sessions }), fixtureDir(root, s.id, label));
    s.info.async = fx.isAsync;
    return fx;
  };

  // 1. Each operation at each store size.
  const operations: OpResult[] = [];
  for (const s of stores) {
    for (const keys of sizesFor(s, config.sizes)) {
      let fx: Fixture;
      try {
        fx = await open(s, keys, config.valueBytes, `ops${keys}`);
      } catch (e) {
        fail(s, `open with ${keys} keys`, e);
        for (const _ of OP_NAMES) progress.step(`${s.id} (failed to open)`);
        continue;
      }
      for (const op of OP_NAMES) {
        progress.step(`ops: ${s.id} ${op} @ ${keys} keys`);
        try {
          const t = await measureTask(`${s.id} ${op} ${keys}`, opBody(op, fx), taskOptions(fx.isAsync));
          operations.push({ store: s.id, op, keys, valueBytes: config.valueBytes, ...t });
        } catch (e) {
          fail(s, `${op} @ ${keys}`, e);
        }
      }
      await fx.close();
    }
    progress.note(`operations: ${s.id} done at ${((Date.now() - started) / 1000).toFixed(0)}s`);
  }

  progress.note(`operations done in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  // 2. Cost of one write as the store grows (file stores rewrite everything).
  const writeScaling: WriteScaling[] = [];
  for (const s of stores.filter((x) => WRITE_SCALING_STORES.includes(x.id))) {
    const points: WriteScaling['points'] = [];
    for (const keys of sizesFor(s, config.writeScalingSizes)) {
      progress.step(`write cost: ${s.id} ls.set @ ${keys} keys`);
      try {
        const fx = await open(s, keys, config.valueBytes, `ws${keys}`);
        const t = await measureTask(`${s.id} ws ${keys}`, opBody('ls.set', fx), taskOptions(fx.isAsync));
        points.push({ keys, meanNs: t.meanNs, p50Ns: t.p50Ns });
        await fx.close();
      } catch (e) {
        fail(s, `write scaling @ ${keys}`, e);
      }
    }
    const f = points.length >= 2 ? fitLine(points.map((p) => p.keys), points.map((p) => p.meanNs)) : null;
    writeScaling.push({ store: s.id, points, fit: f && { interceptNs: f.intercept, slopeNsPerKey: f.slope, r2: f.r2 } });
  }

  progress.note(`write scaling done at ${((Date.now() - started) / 1000).toFixed(0)}s`);
  // 3. YCSB workloads. Workloads that only read and overwrite share one filled store per store and
  // value size; an inserting workload (D) grows its store, so it gets a fresh one each time.
  const workloads: WorkloadResult[] = [];
  for (const s of stores) {
    const keys = Math.min(config.workloadKeys, s.info.maxKeys);
    for (const valueBytes of config.workloadValueBytes) {
      let reusable: Fixture | undefined;
      for (const w of WORKLOADS) {
        for (const distribution of distributionsFor(w)) {
          progress.step(`workload ${w.id} ${distribution} ${valueBytes}B: ${s.id}`);
          const inserts = w.write === 'insert';
          let fx: Fixture | undefined;
          try {
            fx = inserts ? await open(s, keys, valueBytes, `wl${w.id}`, false) : (reusable ??= await open(s, keys, valueBytes, 'wl', false));
            const t = await measureTask(`${s.id} ${w.id}`, workloadBody(w, distribution, fx), taskOptions(fx.isAsync, undefined, undefined, true));
            workloads.push({ store: s.id, workload: w.id, distribution, keys, valueBytes, ...t });
          } catch (e) {
            fail(s, `workload ${w.id} ${distribution} ${valueBytes}B`, e);
          } finally {
            if (inserts) await fx?.close();
          }
        }
      }
      await reusable?.close();
    }
  }
  progress.note(`workloads done at ${((Date.now() - started) / 1000).toFixed(0)}s`);
  // 4. Before/after ratios from interleaved rounds (order reversed every other round).
  const ratios: RatioResult[] = [];
  if (canRatio) {
    const fixtures = new Map<string, Fixture>();
    for (const id of ratioStores) fixtures.set(id, await open(byId.get(id)!, config.ratioKeys, config.valueBytes, 'ratio'));
    const tasks: { name: string; mixed: boolean; body: (fx: Fixture) => BatchBody }[] = [
      ...RATIO_OPS.map((op) => ({ name: op, mixed: false, body: (fx: Fixture) => opBody(op, fx) })),
      ...RATIO_WORKLOADS.map((id) => {
        const w = WORKLOADS.find((x) => x.id === id)!;
        return { name: `workload ${id} (${w.distribution})`, mixed: true, body: (fx: Fixture) => workloadBody(w, w.distribution, fx) };
      }),
    ];
    const typical = new Map<string, number[]>(); // `${task}|${store}` -> typical ns per call, one per round
    const means = new Map<string, number[]>();
    const push = (m: Map<string, number[]>, key: string, v: number) => (m.get(key) ?? m.set(key, []).get(key)!).push(v);
    const bodies = new Map<string, BatchBody>();
    for (let round = 0; round < config.ratioRounds; round++) {
      for (const t of tasks) {
        const order = round % 2 === 0 ? ratioStores : [...ratioStores].reverse();
        for (const id of order) {
          progress.step(`ratio round ${round + 1}/${config.ratioRounds}: ${t.name} ${id}`);
          const fx = fixtures.get(id)!;
          const key = `${t.name}|${id}`;
          if (!bodies.has(key)) bodies.set(key, t.body(fx));
          const m: Timing = await measureTask(key, bodies.get(key)!, taskOptions(fx.isAsync, config.ratioTaskTimeMs, 5, t.mixed));
          push(typical, key, m.typicalNs);
          push(means, key, m.meanNs);
        }
      }
    }
    for (const fx of fixtures.values()) await fx.close();
    for (const before of RATIO_BEFORE.filter((id) => byId.has(id))) {
      for (const t of tasks) {
        const b = typical.get(`${t.name}|${before}`)!;
        const a = typical.get(`${t.name}|${RATIO_AFTER}`)!;
        const est = ratioOfMeansBootstrap(b, a, { seed: 2024 });
        ratios.push({
          task: t.name,
          before,
          after: RATIO_AFTER,
          keys: config.ratioKeys,
          rounds: config.ratioRounds,
          beforeNs: b,
          afterNs: a,
          beforeMeanNs: means.get(`${t.name}|${before}`)!,
          afterMeanNs: means.get(`${t.name}|${RATIO_AFTER}`)!,
          ratio: est.ratio,
          ciLow: est.low,
          ciHigh: est.high,
          level: est.level,
          method: `per round, the typical time per call of each store (median of batch means; the mean for a workload timed in batches of fewer than ${MIXED_MIN_BATCH} calls); ratio of the means of those per-round values over ${config.ratioRounds} interleaved rounds; ${est.level * 100}% percentile bootstrap CI, ${est.resamples} resamples of whole rounds`,
        });
      }
    }
  }

  progress.note(`ratios done at ${((Date.now() - started) / 1000).toFixed(0)}s`);
  // 5. Read scaling with 1 and 2 worker isolates.
  const scaling: ScalingResult[] = [];
  const scalingSkipped = stores
    .filter((s) => s.info.role !== 'floor' && !scalingTargets.includes(s))
    .map((s) => ({ store: s.id, reason: `sharing: '${s.info.sharing}' (each isolate has its own store, like the memory control)` }));
  for (const s of scalingTargets) {
    const mode = s.id === 'memory' ? 'per-isolate' : 'shared';
    let fx: Fixture | undefined;
    try {
      if (mode === 'shared') fx = await open(s, config.scalingKeys, config.valueBytes, 'scaling');
      const dir = fx?.dir ?? fixtureDir(root, s.id, 'scaling');
      const target = { store: s.id, mode, modulePath: s.loaded.worker!.module, env: s.loaded.worker!.env, dir, shared: fx?.shared } as const;
      scaling.push(...(await measureScaling(target, [1, 2], config.scalingKeys, config.valueBytes, config.scalingDurationMs, (n) => progress.step(`scaling: ${s.id} with ${n} isolate(s)`))));
    } catch (e) {
      fail(s, 'scaling', e);
    } finally {
      await fx?.close();
    }
  }
  // 6. The durability–speed frontier (its own stores, processes and crashes; `--only frontier` runs it alone).
  let frontier: PerfReport['frontier'];
  if (!only || only.includes('frontier')) {
    frontier = await measureFrontier({ quick: config.quick, root, seed: 20261204, keys: 1_000, valueBytes: config.valueBytes, progress: (what) => process.stderr.write(`${what}\n`) });
  }
  progress.finish();

  for (const s of stores) await s.loaded.dispose?.();
  rmSync(root, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const server = measureServerPart(outDir, config.quick, args.tmp);

  const report: PerfReport = {
    schema: 1,
    environment: collectEnvironment(resolve(args.tmp ?? os.tmpdir()), gcAvailable, loadAverageStart),
    config,
    stores: infos,
    operations,
    writeScaling,
    workloads,
    ratios,
    scaling,
    scalingSkipped,
    checksum: getChecksum(),
    durationMs: Date.now() - started,
    ...server,
    ...(frontier ? { frontier } : {}),
  };
  const files = writeReport(report, outDir);
  process.stderr.write(`wrote ${files.join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)}s\n`);
}

/**
 * The real server on each storage library, in a child (it re-runs itself in a private network
 * namespace): this run's measurement, or why there is none. A perf-server.json of an earlier run is never used.
 */
function measureServerPart(outDir: string, quick: boolean, tmp: string | undefined): Pick<PerfReport, 'server' | 'serverSkipped'> {
  if (args['skip-server']) return { serverSkipped: 'excluded by --skip-server' };
  rmSync(join(outDir, 'perf-server.json'), { force: true });
  process.stderr.write('the real TitanPL server on each storage library (bench/server/run.ts)…\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/server/run.ts'), '--json-only', '--out', outDir, ...(quick ? ['--quick'] : []), ...(tmp ? ['--tmp', tmp] : [])], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 30 * 60_000,
  });
  const server = loadServerBench(outDir);
  if (r.status === 0 && server) return { server };
  return { serverSkipped: `bench/server/run.ts ${r.error ? `failed: ${r.error.message}` : `exited with ${r.status ?? r.signal}`} (see its output above)` };
}

await main();
// Native handles (koffi, redis sockets) must not keep a finished run alive.
process.exit(0);
