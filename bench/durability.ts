/**
 * The "Durability" section of reports/perf.md: what each store's write costs (from the benchmark)
 * beside what it survives (from the conformance suite: CRASH-CONSISTENT kills the process,
 * CRASH-POWERLOSS replays the crash states of a power cut). Survival is pass/fail, checked by the
 * tests named below, never measured here.
 */
import { formatCount, formatNs } from './format.js';
import type { PerfReport } from './types.js';

interface Survival {
  readonly store: string;
  readonly sigkill: string;
  readonly powerLoss: string;
  readonly how: string;
}

/** Verdicts of `titan-storage check <store> --only CRASH-CONSISTENT,CRASH-POWERLOSS`, kept true by test/powerloss/ and test/mutants/. */
export const SURVIVAL: readonly Survival[] = [
  { store: 'memory', sigkill: 'no (volatile)', powerLoss: 'no (volatile)', how: 'nothing on disk' },
  { store: 'file-faithful', sigkill: '**no**: CRASH-CONSISTENT fails', powerLoss: '**no**: CRASH-POWERLOSS names the write never fsynced and the creation never synced into its directory', how: 'truncate + write in place, no fsync' },
  { store: 'file', sigkill: 'yes', powerLoss: 'yes', how: 'temporary file, fsync, rename, fsync of the directory' },
  { store: 'sqlite', sigkill: 'yes', powerLoss: 'yes', how: 'WAL, synchronous=FULL (fsync of the WAL per commit; directory synced when the WAL is created)' },
  { store: 'redis', sigkill: 'yes (the server holds the data)', powerLoss: 'not observable here: the data lives in the server (appendfsync always there)', how: 'AOF in the Redis server' },
];

/** The section's markdown lines. */
export function durabilitySection(perf: PerfReport): string[] {
  const keys = perf.config.ratioKeys;
  const cost = (store: string) => {
    const r = perf.operations.find((o) => o.store === store && o.op === 'ls.set' && o.keys === keys);
    return r ? formatNs(r.p50Ns) : 'not measured';
  };
  const rows = SURVIVAL.map((s) => `| ${s.store} | ${cost(s.store)} | ${s.sigkill} | ${s.powerLoss} | ${s.how} |`);
  return [
    '## Durability: what a write costs and what it survives',
    '',
    `Typical \`ls.set\` at ${formatCount(keys)} keys (this run) beside the conformance verdicts: *survives SIGKILL* is \`CRASH-CONSISTENT\` (the process killed mid-write, page cache kept); *survives power loss* is \`CRASH-POWERLOSS\` (strace-recorded system calls replayed as every crash state the weakest POSIX model allows: nothing reaches the disk without an fsync of the file, no directory entry without an fsync of the directory). Each classic mistake (no fsync at all; fsync of the file but not the directory; rename before fsync; unsynced appends) is a mutant in \`mutants/powerloss/\` that CRASH-POWERLOSS rejects, naming the missing sync.`,
    '',
    '| store | `ls.set` (typical) | survives SIGKILL | survives power loss | how |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ];
}
