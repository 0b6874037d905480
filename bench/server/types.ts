/** What bench/server measures (reports/perf-server.json); rendered by the server sections in bench/render/. */

/** The action a request runs: nothing, or one storage call. */
export type Endpoint = 'noop' | 'ls.get' | 'ls.set' | 'session.set';
export const ENDPOINTS: readonly Endpoint[] = ['noop', 'ls.get', 'ls.set', 'session.set'];
/** The app's route for each (adapters/titanpl-server/app/app.js). */
export const ROUTE: Record<Endpoint, string> = { noop: '/noop', 'ls.get': '/get', 'ls.set': '/set', 'session.set': '/sessionset' };

export interface ServerBenchConfig {
  quick: boolean;
  /** Interleaved rounds; every task runs once per round. */
  rounds: number;
  roundMs: number;
  /** Keep-alive connections of the request table (each lands on its own isolate). */
  connections: number;
  /** Stored keys (and as many session entries) of the request table. */
  sizes: number[];
  /** Stored keys at which `ls.set` alone is measured too (the write cost's growth). */
  writeSizes: number[];
  valueBytes: number;
  /** Connections of the `ls.get` concurrency measurement, at `concurrencyKeys` stored keys. */
  concurrency: number[];
  concurrencyKeys: number;
  /** Time of the memory run per library, spent in interleaved slices. */
  memoryMs: number;
  memorySamples: number;
  /** Storage operations per /churn request of the memory run. */
  opsPerRequest: number;
}

/** What a library is in the comparison: the note's before, the published after, or our fixed after. */
export type LibraryRole = 'before' | 'before-tmpfs' | 'published' | 'after';

export interface ServerLibraryRun {
  id: string;
  role: LibraryRole;
  label: string;
  /** Who frees a string the library returns (the 7.0.1 bridge never does). */
  returnedStrings?: 'caller-frees' | 'library-owned';
  /** Why it has no memory curve, when it has none. */
  memorySkipped?: string;
  /** The filesystem of its working directory (where the before library writes its files). */
  workDirFs?: string;
  /** Why it was not measured (not built, failed to start); absent when it was. */
  skipped?: string;
  /** Tasks that failed during the run (the server died, a request timed out). */
  failures?: string[];
}

/** One task: requests to one endpoint of one library's server, one value per round. */
export interface ServerCell {
  library: string;
  endpoint: Endpoint;
  keys: number;
  connections: number;
  /** Requests per second. */
  rps: number[];
  /** Server CPU time (user + system, /proc/<pid>/stat) per request, in ns. */
  cpuNs: number[];
  /** Mean latency per request seen by the client, in µs. */
  latencyUs: number[];
}

export interface MemoryPoint {
  storageOps: number;
  rssBytes: number;
  seconds: number;
}

export interface ServerBench {
  schema: 2;
  server: string;
  config: ServerBenchConfig;
  libraries: ServerLibraryRun[];
  cells: ServerCell[];
  memory: { library: string; points: MemoryPoint[] }[];
  /** 1-minute load average at the start and the end (a busy machine widens every interval). */
  loadAverage: [number, number];
  /** Where the servers' working directories were, and its filesystem (the before library writes there). */
  workDir: string;
  workDirFs: string;
  /** Clock ticks per second of /proc/<pid>/stat. */
  clockTicks: number;
  durationMs: number;
}
