/**
 * The manifest of mutants: deliberately broken implementations, one realistic bug each, that the suite must
 * catch. `expect` lists requirement IDs; a run of the suite against the mutant kills it when at least one of them
 * fails. A unit test keeps this list and the folder in step.
 */
import { fileURLToPath } from 'node:url';

/** A runner feature a mutant's bug can only be observed with. */
export type MutantNeed =
  /** The store runs in a child process that can be killed (restart by SIGKILL). */
  | 'process-isolation'
  /** A synchronous hang: only the CLI's supervised child process survives it. */
  | 'supervisor'
  /** Several isolates (worker threads) share one store concurrently. */
  | 'workers'
  /** A system-call recorder (strace) replays power-loss crash states. */
  | 'strace';

export interface MutantEntry {
  /** Module path relative to the repository root. */
  readonly file: string;
  /** The `name` of its default export. */
  readonly name: string;
  /** Requirement IDs, at least one of which must fail. */
  readonly expect: readonly string[];
  /** The bug, in one line. */
  readonly note: string;
  readonly needs?: MutantNeed;
  /** Other requirements whose rule the same bug really breaks: failing them is precise, not a cascade (not run to kill it). */
  readonly alsoBreaks?: readonly string[];
  /** A pattern the failure report (message and counterexample) must match: the cause named, not only the ID. */
  readonly because?: RegExp;
  /** A mutant with several independent bugs: for each, the requirements one of which must fail (every bug must be found). */
  readonly defects?: readonly (readonly string[])[];
}

/** Rules a mutant's bug breaks besides the ones that kill it, each for a reason given here. */
const ALSO_BREAKS: Record<string, string[]> = {
  // Removing the absent key "a" also deletes "aa".
  'remove-removes-prefix': ['LS-REMOVE-MISSING'],
  // Nothing reaches a file, so a killed process and a crash lose every write too.
  'durable-never-writes': ['RESTART-KILL-DURABLE', 'CRASH-CONSISTENT'],
  'write-behind-no-flush': ['RESTART-KILL-DURABLE', 'CRASH-CONSISTENT'],
  // Nothing is written before close(), so a power cut loses every acknowledged write as well.
  'durable-loses-on-kill': ['CRASH-POWERLOSS'],
  // Acknowledged before it is written: a kill in the 200 ms before the write, or a restart through a new process, loses it.
  'powerloss/ack-then-write': ['CRASH-CONSISTENT', 'RESTART-KILL-DURABLE', 'PERSIST-DURABLE'],
};

const m = (name: string, expect: string[], note: string, needs?: MutantNeed): MutantEntry => ({
  file: `mutants/${name}.ts`,
  name: `mutant/${name}`,
  expect,
  note,
  ...(needs ? { needs } : {}),
  ...(ALSO_BREAKS[name] ? { alsoBreaks: ALSO_BREAKS[name] } : {}),
});

/** A mutant with two independent bugs: `defects` lists, per bug, the requirements that catch it; SEQ-MODEL may fail too. */
const two = (name: string, defects: string[][], note: string): MutantEntry => ({ file: `mutants/two-defects/${name}.ts`, name: `mutant/two-defects/${name}`, expect: defects.flat(), note, defects, alsoBreaks: ['SEQ-MODEL'] });

/** Every requirement the mutant may fail without a cascade: what kills it and what its bug also breaks. */
export const precise = (e: MutantEntry): readonly string[] => [...e.expect, ...(e.alsoBreaks ?? [])];

const POWERLOSS_NOTES = {
  'no-fsync': 'temporary file renamed into place, nothing ever fsynced',
  'no-dir-fsync': 'the new file is fsynced, the directory is not after the rename',
  'rename-before-fsync': 'the new file is renamed into place before its data is fsynced',
  'append-no-sync': 'append-only log whose appends are never fsynced',
  'ack-then-write': 'acknowledges at once, writes 200 ms later (temporary file, rename), never fsyncs',
};
const POWERLOSS_CAUSES = {
  'no-fsync': /(?=[\s\S]*rename\(\.titan_\w+\.json\.tmp → titan_\w+\.json\) #\d+ \(trace line \d+\) was lost: no fsync of its directory)(?=[\s\S]*never reached the disk: no fsync\/fdatasync of that file)/,
  'no-dir-fsync': /Missing sync: rename\(\.titan_\w+\.json\.tmp → titan_\w+\.json\) #\d+ \(trace line \d+\) was lost: no fsync of its directory/,
  'rename-before-fsync': /Missing sync: write of \d+ bytes at offset 0 to \.titan_\w+\.json\.tmp .* never reached the disk: .* renamed to titan_\w+\.json at #\d+ before that data was fsynced/,
  'append-no-sync': /Missing sync: write of \d+ bytes at offset \d+ to titan\.log #\d+ \(trace line \d+\) never reached the disk: no fsync\/fdatasync of that file/,
  'ack-then-write': /Missing sync: .*titan_\w+\.json.* (was lost: no fsync of its directory|never reached the disk)/,
};

const BOUNDED: Record<string, Pick<MutantEntry, 'note' | 'because' | 'needs'>> = {
  'log-no-fsync': { note: 'hybrid store whose group commits are appended to its log but never fsynced', because: /power cut .*acknowledged write \d+ ms old was lost|observed window \d+ ms .* declared window 100 ms/, needs: 'strace' },
  hole: { note: 'hybrid store that holds removals back one commit while committing the sets after them: a crash keeps a later set and loses an earlier removal', because: /not the state after any prefix/, needs: 'process-isolation' },
  'window-10x': { note: 'hybrid store declaring a 100 ms window that commits as if it were 1 000 ms', because: /observed window \d+ ms .* declared window 100 ms/, needs: 'process-isolation' },
};

export const MUTANTS: readonly MutantEntry[] = [
  // API shape, results, failures and hangs
  m('missing-method', ['API-SHAPE'], 'session has no clear method'),
  m('keys-iterator', ['API-RESULT-TYPE'], 'ls.keys returns the Map key iterator, not an array'),
  m('throws-sometimes', ['API-NO-THROW'], 'every 50th ls.set on a store throws "disk full" (needs a sequence of 50+ sets)'),
  m('hangs-on-keys', ['API-TIMELY'], 'ls.keys never settles with more than 3 keys (page event emitted before the listener)'),
  m('aborts-on-nul-key', ['API-NO-THROW'], 'a native-style assertion in ls.set aborts the process (SIGABRT) on a key holding "\\0"', 'supervisor'),
  m('sync-infinite-loop', ['API-TIMELY'], 'open-addressing table never grows; probing a full table for an absent key loops forever, synchronously', 'supervisor'),
  m('singleton-store', ['OPEN-FRESH-EMPTY', 'PERSIST-VOLATILE'], 'one module-level store for every open(), whatever the dir'),
  // Local storage
  m('undefined-for-missing', ['LS-GET-MISSING', 'API-RESULT-TYPE'], 'ls.get returns undefined for a missing key'),
  m('empty-string-for-missing', ['LS-GET-MISSING', 'VAL-EMPTY-STRING'], 'ls.get returns "" for a missing key'),
  m('remove-missing-throws', ['LS-REMOVE-MISSING', 'API-NO-THROW'], 'ls.remove of a missing key throws'),
  m('remove-removes-prefix', ['LS-REMOVE'], 'ls.remove(k) deletes every key starting with k'),
  m('clear-clears-sessions', ['LS-CLEAR', 'ISO-LS-SESSION'], 'ls.clear also wipes every session'),
  m('stale-keys-cache', ['LS-KEYS-SET', 'SEQ-MODEL'], 'keys() cache not invalidated by remove'),
  m('keys-duplicates', ['LS-KEYS-SET', 'SEQ-MODEL'], 'key index appended on every set, so an overwritten key is listed twice'),
  m('live-keys-array', ['LS-KEYS-SNAPSHOT'], 'keys() returns the internal key-index array'),
  // Values and strings
  m('empty-value-is-absent', ['VAL-EMPTY-STRING'], 'set(k, "") deletes k; get uses || null'),
  m('no-coerce', ['VAL-COERCE', 'API-RESULT-TYPE'], 'the value is validated with String() but stored unconverted'),
  m('coerce-empty-eisdir', ['VAL-COERCE'], 'file-per-key store tests for the key "" before converting: [] names the directory itself (EISDIR)'),
  m('refuses-empty-key', ['STR-ROUNDTRIP', 'API-NO-THROW', 'SEQ-MODEL'], 'ls.set and session.set refuse the key "" with an error'),
  m('lone-surrogate-key-throws', ['STR-ROUNDTRIP', 'API-NO-THROW', 'SEQ-MODEL'], 'a key holding a lone surrogate throws URIError (strict UTF-8)'),
  m('lru-evicts', ['LS-MANY-ENTRIES', 'SEQ-MODEL'], 'local storage is a 500-entry LRU cache: entry 501 silently evicts the oldest'),
  m('web-storage-names', ['STR-PROTO-NAMES', 'STR-ROUNDTRIP', 'SEQ-MODEL'], 'ls.set of a Web Storage member name (length, getItem, …) is silently ignored'),
  m('namespace-prefix', ['STR-DISTINCT', 'SEQ-MODEL'], 'keys prefixed "a:" unless they already start with it: "a:x" and "x" collide'),
  m('symbol-accepted', ['VAL-REJECT'], 'bare String(x): Symbols accepted as "Symbol(x)"'),
  m('set-before-validate', ['VAL-REJECT-ATOMIC'], 'set deletes the old entry before converting the value'),
  m('utf8-lossy', ['STR-ROUNDTRIP'], 'values round-trip through UTF-8 bytes: lone surrogates become U+FFFD'),
  m('nul-truncates', ['STR-ROUNDTRIP'], 'values cut at the first "\\0" (C strings)'),
  m('trims-keys', ['STR-DISTINCT', 'STR-ROUNDTRIP'], 'keys are trimmed'),
  m('normalizes-keys', ['STR-DISTINCT', 'STR-ROUNDTRIP'], 'keys are NFC-normalized'),
  m('case-insensitive', ['STR-DISTINCT', 'STR-ROUNDTRIP'], 'keys are lower-cased'),
  m('object-backed', ['STR-PROTO-NAMES'], 'plain {} store: "__proto__" cannot be stored'),
  m('object-get-inherits', ['STR-PROTO-NAMES'], 'plain {} store read with store[key] ?? null: ls.get("toString") returns the inherited function'),
  m('size-limit', ['STR-LARGE-VALUE'], 'values over 1 MiB silently truncated'),
  // Sessions
  m('session-undefined-for-missing', ['SES-GET-MISSING', 'API-RESULT-TYPE'], 'session.get returns undefined for a missing (id, key)'),
  m('session-empty-id-ignored', ['SES-SET-GET', 'STR-ROUNDTRIP', 'SES-ISOLATION', 'SEQ-MODEL'], 'session.set ignores the session id ""'),
  m('composite-session-key', ['SES-ISOLATION', 'SES-CLEAR'], 'sessions in one Map keyed id + ":" + key'),
  m('session-delete-missing-throws', ['SES-DELETE', 'API-NO-THROW'], 'session.delete of a missing (id, key) throws'),
  m('prefix-session-clear', ['SES-CLEAR'], 'session.clear(id) deletes every session whose id starts with id'),
  m('ns-key-joins', ['ISO-LS-SESSION'], 'one flat key space: ls keys as they are, sessions under "session:" + id, so the ls key "session:u" is session u'),
  m('shared-namespace', ['ISO-LS-SESSION', 'LS-KEYS-SET', 'LS-CLEAR'], 'sessions stored in the local-storage Map under a "session:" prefix'),
  // Persistence
  m('durable-never-writes', ['PERSIST-DURABLE'], 'declares durable, never writes a file'),
  m('write-behind-no-flush', ['PERSIST-DURABLE'], 'file writes batched for 1 s; close() drops the pending batch'),
  m('volatile-persists-in-process', ['PERSIST-VOLATILE'], 'declares volatile, but stores outlive close() in a module-level Map keyed by dir'),
  // Restart is close + open in-process for PERSIST-VOLATILE, so this one needs no process isolation to be caught.
  m('volatile-persists', ['RESTART-KILL-VOLATILE', 'PERSIST-VOLATILE'], 'declares volatile but keeps its state in a file in dir and loads it on open'),
  m('durable-empty-key-unreadable', ['PERSIST-DURABLE'], 'crash-safe file store whose loader rejects a file holding the key "": once written, the store never reopens'),
  m('durable-loses-on-kill', ['RESTART-KILL-DURABLE', 'CRASH-CONSISTENT'], 'declares durable but writes its files only in close(): a killed process loses every write', 'process-isolation'),
  // Concurrency (several isolates sharing one store)
  m('race/nonatomic-clear', ['LIN-LINEARIZABLE', 'SHARE-VISIBLE'], 'ls.clear removes the keys one by one, each under its own write lock', 'workers'),
  m('race/lost-update', ['LIN-LINEARIZABLE', 'SHARE-VISIBLE'], 'session blob read under the read lock and written back under a separate write lock: concurrent sets lose keys', 'workers'),
  m('race/torn-write', ['LIN-LINEARIZABLE', 'SHARE-VISIBLE'], 'a value is written as two halves under separate write locks: a reader can see a value nobody wrote', 'workers'),
  // Power loss (mutants/powerloss/): crash-consistent under SIGKILL, each missing one sync
  ...(['no-fsync', 'no-dir-fsync', 'rename-before-fsync', 'append-no-sync', 'ack-then-write'] as const).map((name) => ({
    file: `mutants/powerloss/${name}.ts`,
    name: `mutant/powerloss/${name}`,
    expect: ['CRASH-POWERLOSS'],
    note: POWERLOSS_NOTES[name],
    because: POWERLOSS_CAUSES[name],
    needs: 'strace' as const,
    ...(ALSO_BREAKS[`powerloss/${name}`] ? { alsoBreaks: ALSO_BREAKS[`powerloss/${name}`] } : {}),
  })),
  // Bounded loss (mutants/bounded/): the hybrid store with one bug each, caught by LOSS-BOUNDED alone
  ...Object.entries(BOUNDED).map(([name, b]) => ({ file: `mutants/bounded/${name}.ts`, name: `mutant/bounded/${name}`, expect: ['LOSS-BOUNDED'], ...b })),
  m('race/stale-cache', ['SHARE-VISIBLE', 'LIN-LINEARIZABLE'], 'per-isolate read-through cache invalidated only by its own writes', 'workers'),
  // Two independent bugs, one showing early (mutants/two-defects/): both must be reported.
  two('surrogate-throws-delete-drops-session', [['API-NO-THROW', 'STR-ROUNDTRIP'], ['SES-DELETE']], 'a lone-surrogate key throws, and session.delete drops the whole session'),
  two('missing-empty-prefix-clear', [['LS-GET-MISSING', 'SES-GET-MISSING'], ['SES-CLEAR']], 'missing keys and pairs read as "", and session.clear("a") also clears session "ab"'),
  two('nul-throws-object-backed', [['API-NO-THROW', 'STR-ROUNDTRIP'], ['STR-PROTO-NAMES']], 'a NUL in a key or value throws, and local storage is a plain object ("__proto__" is no ordinary key)'),
  m('race/version-before-value', ['SHARE-VISIBLE', 'LIN-LINEARIZABLE'], 'overwrite publishes the new version before writing the value: another isolate caches the old value under the new version', 'workers'),
];

/** Absolute path of a mutant's module. */
export function mutantPath(entry: MutantEntry): string {
  return fileURLToPath(new URL(`../${entry.file}`, import.meta.url));
}
