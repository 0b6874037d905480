/** The shape of reports/perf.json: what the benchmark writes and the renderer reads. */

export type { OpName } from '../spec/operations.js';
import type { OpName } from '../spec/operations.js';

export type StoreRole = 'floor' | 'before' | 'after' | 'alternative';

export interface StoreInfo {
  id: string;
  label: string;
  role: StoreRole;
  /** Repository path of the module measured (absent for the floors). */
  module?: string;
  included: boolean;
  /** Why the store was not measured. */
  skipped?: string;
  /** Its methods return promises; every call is awaited before the next one. */
  async?: boolean;
  persistence?: string;
  sharing?: string;
  /** Largest store size measured, and why it is capped. */
  maxKeys: number;
  capReason?: string;
  notes?: string;
  /** Tasks that failed while measuring (their results are missing). */
  failures?: string[];
}

/** Latency statistics of one measured task, in nanoseconds per operation. */
export interface Timing {
  /** Operations per timed batch; percentiles are over batch means when batch > 1. */
  batch: number;
  samples: number;
  meanNs: number;
  p50Ns: number;
  p99Ns: number;
  minNs: number;
  maxNs: number;
  /** Relative margin of error of the mean (95%), percent. */
  rmePct: number;
  /**
   * The typical time per call: the median of the batch means, except for a mix of operation kinds
   * timed in batches of fewer than MIXED_MIN_BATCH calls, where it is the mean (the median of
   * single calls would report only the most common kind).
   */
  typicalNs: number;
  /** 1e9 / typicalNs. */
  opsPerSec: number;
}

export interface OpResult extends Timing {
  store: string;
  op: OpName;
  keys: number;
  valueBytes: number;
}

export type WorkloadId = 'A' | 'B' | 'C' | 'D' | 'F';
export type Distribution = 'zipfian' | 'uniform' | 'latest';

export interface WorkloadResult extends Timing {
  store: string;
  workload: WorkloadId;
  distribution: Distribution;
  keys: number;
  valueBytes: number;
}

export interface WriteScaling {
  store: string;
  points: { keys: number; meanNs: number; p50Ns: number }[];
  /** Least-squares fit of meanNs against keys: ns per write = interceptNs + slopeNsPerKey * keys. */
  fit: { interceptNs: number; slopeNsPerKey: number; r2: number } | null;
}

export interface RatioResult {
  /** e.g. "ls.set" or "workload A (zipfian)". */
  task: string;
  before: string;
  after: string;
  keys: number;
  rounds: number;
  /** Per round: the typical time per call (Timing.typicalNs) of the before store. The ratio is computed from these. */
  beforeNs: number[];
  /** Per round: the typical time per call of the after store. */
  afterNs: number[];
  /** Per round: mean times per call, for reference (more sensitive to preemption on a busy machine). */
  beforeMeanNs: number[];
  afterMeanNs: number[];
  ratio: number;
  ciLow: number;
  ciHigh: number;
  level: number;
  method: string;
}

export interface ScalingResult {
  store: string;
  /** Whether the isolates read one store ("shared") or each their own copy ("per-isolate"). */
  mode: 'shared' | 'per-isolate';
  isolates: number;
  keys: number;
  durationMs: number;
  totalOpsPerSec: number;
  perIsolateOpsPerSec: number[];
}

export interface Environment {
  date: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  platform: string;
  kernel: string;
  node: string;
  v8: string;
  benchDir: string;
  filesystem: string;
  mountOptions: string | null;
  loadAverageStart: number[];
  loadAverageEnd: number[];
  exposeGc: boolean;
  timerOverheadNs: number;
}

export interface BenchConfig {
  quick: boolean;
  sizes: number[];
  valueBytes: number;
  workloadKeys: number;
  workloadValueBytes: number[];
  /** Also run every workload with uniform key choice, besides its YCSB default distribution. */
  workloadUniform: boolean;
  taskTimeMs: number;
  warmupTimeMs: number;
  /** At least this many timed batches per task, however long they take. */
  minSamples: number;
  targetBatchNs: number;
  maxBatch: number;
  ratioKeys: number;
  ratioRounds: number;
  ratioTaskTimeMs: number;
  writeScalingSizes: number[];
  scalingKeys: number;
  scalingDurationMs: number;
}

export interface PerfReport {
  schema: 1;
  environment: Environment;
  config: BenchConfig;
  stores: StoreInfo[];
  operations: OpResult[];
  writeScaling: WriteScaling[];
  workloads: WorkloadResult[];
  ratios: RatioResult[];
  scaling: ScalingResult[];
  /** Why the isolate-scaling measurement did not run for a store. */
  scalingSkipped: { store: string; reason: string }[];
  /** Sum of every result read back, so no measured call could be optimized away. */
  checksum: number;
  durationMs: number;
  /** The real TitanPL server, measured by bench/server/run.ts. */
  server?: import('./server/types.js').ServerBench;
  /** Why this run has no server measurement. */
  serverSkipped?: string;
  /** The durability–speed frontier (bench/frontier.ts): absent when the run did not measure it (--only without "frontier"). */
  frontier?: import('./frontier.js').Frontier;
}
