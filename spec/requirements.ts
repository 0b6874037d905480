/**
 * The requirement registry: the spine that links spec/SPEC.md -> the checks that test each
 * requirement -> the report line. Every ID here is a heading in SPEC.md and is checked by at
 * least one check in conformance/ (a unit test enforces both).
 */
import type { Capabilities } from './contract.js';
import { unlessKind } from './persistence.js';

/** The version of the specification that spec/SPEC.md and this registry describe. */
export const SPEC_VERSION = 3;

export interface Requirement {
  readonly id: string;
  /** The spec version that introduced the requirement (1 when absent). */
  readonly since?: number;
  /** The spec version that last changed its rule, and how. */
  readonly changed?: { readonly version: number; readonly what: string };
  readonly title: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** When the requirement applies only under some capability, the reason it is skipped otherwise (null = applies). */
  readonly appliesTo?: (caps: Capabilities) => string | null;
}

const durableOnly = (c: Capabilities) => unlessKind(c.persistence, 'durable');
const volatileOnly = (c: Capabilities) => unlessKind(c.persistence, 'volatile');
const boundedOnly = (c: Capabilities) => unlessKind(c.persistence, 'bounded');
const sharedOnly = (c: Capabilities) => (c.sharing !== 'isolate' ? null : 'declared sharing is "isolate"');
const clusterOnly = (c: Capabilities) => (c.sharing === 'cluster' ? null : `declared sharing is "${c.sharing}"`);

export const REQUIREMENTS: readonly Requirement[] = [
  // API shape and behaviour of calls
  { id: 'API-SHAPE', title: 'open() gives a storage object with every operation as a function', rationale: 'Actions call t.ls.* and t.session.* directly; a missing method is a crash in user code.' },
  { id: 'API-RESULT-TYPE', title: 'get returns a string or null; keys returns an array of strings', rationale: 'TitanPL\'s type declarations promise string | null and string[].' },
  { id: 'API-NO-THROW', title: 'operations on string arguments never throw or reject', rationale: 'Storage is infrastructure; a valid call that fails loses the caller\'s request.' },
  { id: 'API-TIMELY', title: 'every operation completes within the per-operation timeout', rationale: 'A hung store hangs every request that touches it.' },
  { id: 'OPEN-FRESH-EMPTY', title: 'opening a fresh dir gives an empty store', rationale: 'Tests, tenants and new deployments must not see stale data.' },
  // Local storage
  { id: 'LS-GET-MISSING', title: 'ls.get of a key that is not present returns null', rationale: 'TitanPL\'s own declarations and Web Storage both say null.' },
  { id: 'LS-SET-GET', title: 'ls.get returns the value of the last ls.set of that key', rationale: 'The basic promise of a key-value store.' },
  { id: 'LS-REMOVE', title: 'ls.remove deletes exactly that key', rationale: 'Removing one key must not disturb others.' },
  { id: 'LS-REMOVE-MISSING', title: 'ls.remove of a missing key is a no-op', rationale: 'Idempotent deletes are safe to retry.' },
  { id: 'LS-CLEAR', title: 'ls.clear empties local storage and only local storage', rationale: 'clear() is documented for t.ls; sessions are a separate namespace.' },
  { id: 'LS-KEYS-SET', title: 'ls.keys returns every present key exactly once (order unspecified)', rationale: 'Callers iterate keys to rebuild state; duplicates or gaps corrupt it.' },
  { id: 'LS-KEYS-SNAPSHOT', title: 'the array from ls.keys is a snapshot, independent of later changes', rationale: 'Returning a live internal array lets callers corrupt the store or see it move under them.' },
  { id: 'LS-MANY-ENTRIES', since: 2, title: 'after 10 000 distinct sets every entry is still there', rationale: 'A cache with a bound (an LRU) drops old entries without a word; storage is not a cache.' },
  // Values and strings
  { id: 'VAL-EMPTY-STRING', title: 'a stored "" is a value, distinct from absence', rationale: 'Empty strings are legitimate values (a cleared form field, a flag).' },
  { id: 'VAL-COERCE', changed: { version: 2, what: 'ECMAScript ToString, as template literals do, instead of String(x)' }, title: 'keys, values, session ids and session keys are converted with ToString, as template literals do', rationale: 'TitanPL wraps the native store with String(value); numbers, booleans, null and objects must behave predictably.' },
  { id: 'VAL-REJECT', changed: { version: 2, what: 'an argument whose own toString throws may fail with the error it threw, not only a TypeError' }, title: 'a Symbol or a value ToString cannot convert is rejected (TypeError, or the error its own toString throws)', rationale: 'A clear error beats a silent "Symbol(x)" or a crash.' },
  { id: 'VAL-REJECT-ATOMIC', title: 'a rejected call changes nothing: the previous value stays', rationale: 'Bad input must not lose data already stored.' },
  { id: 'STR-ROUNDTRIP', title: 'every JavaScript string round-trips exactly as key, value, session id and session key', rationale: 'NUL, lone surrogates and astral characters are valid JS strings; lossy encodings (UTF-8 replacement, C strings) corrupt data silently.' },
  { id: 'STR-DISTINCT', title: 'strings that differ in any code unit (case, NFC/NFD, white space) are distinct keys', rationale: 'Normalizing or trimming keys merges entries that users keep apart.' },
  { id: 'STR-PROTO-NAMES', title: '"__proto__", "constructor" and other prototype names are ordinary keys', rationale: 'Object-backed stores break on them, a classic injection and data-loss bug.' },
  { id: 'STR-LARGE-VALUE', title: 'values of at least 16 MiB are stored and returned intact', rationale: 'Caches hold rendered pages and JSON blobs; truncation is silent data loss.' },
  // Sessions
  { id: 'SES-GET-MISSING', title: 'session.get of a missing (id, key) returns null', rationale: 'Same contract as ls.get.' },
  { id: 'SES-SET-GET', title: 'session.get returns the value of the last session.set of that (id, key)', rationale: 'The basic promise of session storage.' },
  { id: 'SES-ISOLATION', title: 'every (sessionId, key) pair is independent of every other, whatever characters they contain', rationale: 'Composite keys like id + ":" + key let one user read or overwrite another user\'s session.' },
  { id: 'SES-DELETE', title: 'session.delete removes exactly that (id, key); a missing one is a no-op', rationale: 'Logging out one field must not disturb the rest.' },
  { id: 'SES-CLEAR', title: 'session.clear(id) removes exactly that session\'s keys', rationale: 'Prefix-matching clears destroy other users\' sessions.' },
  { id: 'ISO-LS-SESSION', title: 'local storage and sessions never see each other\'s entries', rationale: 'Two namespaces that leak into each other are one namespace with surprises.' },
  // The model
  { id: 'SEQ-MODEL', title: 'every sequence of operations gives the results of the sequential model (spec/model.ts)', rationale: 'Interleavings find the bugs single-rule checks miss (stale caches, shared buffers, ordering).' },
  // Persistence
  { id: 'PERSIST-VOLATILE', title: 'a volatile store is empty after a restart', rationale: 'The change note promises "data lost on server restart"; a store that secretly persists leaks data across deployments.', appliesTo: volatileOnly },
  { id: 'PERSIST-DURABLE', title: 'a durable store holds exactly the state after the last completed operation, after a restart', rationale: 'Durable means an acknowledged write survives.', appliesTo: durableOnly },
  // Bounded loss (since 3; conformance/properties/bounded-loss.ts, conformance/powerloss/bounded.ts)
  { id: 'PERSIST-BOUNDED', since: 3, title: 'after a clean close and reopen, a bounded-loss store holds exactly the state after the last completed operation', rationale: 'The loss window is for crashes: a store that loses writes on an orderly shutdown loses them on every deployment.', appliesTo: boundedOnly },
  { id: 'LOSS-BOUNDED', since: 3, title: 'after a declared crash, a bounded-loss store holds the state after a prefix of its acknowledged operations that includes every one acknowledged at least windowMs before the crash', rationale: 'Deployed stores (Redis everysec, SQLite synchronous=NORMAL, snapshots) promise to lose at most the last moments of writes, never older ones and never a hole; the promise is only worth what is checked.', appliesTo: boundedOnly },
  // Sharing and concurrency across isolates (conformance/properties/concurrency.ts)
  { id: 'SHARE-VISIBLE', title: 'a write in one isolate is visible to reads in every other isolate once it has returned', rationale: 'TitanPL runs each request in its own isolate over one store; a write another request cannot see is lost to it.', appliesTo: sharedOnly },
  { id: 'LIN-LINEARIZABLE', title: 'concurrent operations from several isolates are linearizable with respect to the sequential model', rationale: 'A RwLock<HashMap> makes every operation atomic; torn values, lost updates and half-done clears are what "better concurrency" must not bring.', appliesTo: sharedOnly },
  { id: 'SHARE-CLUSTER', title: 'several processes opening the same store see one store', rationale: 'A store declared "cluster" is shared by every server process; one process\'s write must reach the others.', appliesTo: clusterOnly },
  // Real restarts and crashes through processes (conformance/properties/restart-process.ts, crash.ts; spec/PROTOCOL.md)
  { id: 'RESTART-KILL-VOLATILE', title: 'after SIGKILL and a fresh process on the same dir, a volatile store is empty', rationale: 'The change note promises "data lost on server restart"; a store that survives a real process restart (a file, a shared segment) leaks data across deployments.', appliesTo: volatileOnly },
  { id: 'RESTART-KILL-DURABLE', title: 'after SIGKILL and a fresh process on the same dir, a durable store holds the state after the last acknowledged operation', rationale: 'A server is killed, not closed: a store that persists only on close() loses every acknowledged write.', appliesTo: durableOnly },
  { id: 'CRASH-CONSISTENT', title: 'killed at any moment during writes, a durable store reopens with every acknowledged write and the in-flight one applied wholly or not at all', rationale: 'Truncate-then-write leaves an empty or half-written file when the process dies mid-write: the whole store is lost, not one write.', appliesTo: durableOnly },
  { id: 'CRASH-POWERLOSS', since: 2, title: 'every crash state a power cut may leave after a durable store\'s acknowledged writes holds every one of them, and the in-flight one wholly or not at all', rationale: 'SIGKILL keeps the page cache, so a store that never calls fsync, or renames a new file into place without syncing the directory, passes CRASH-CONSISTENT and still loses acknowledged writes, or its whole file, when the power goes.', appliesTo: durableOnly },
  // Replicated deployments under faults (conformance/properties/failover.ts, conformance/nemesis/; spec/PROTOCOL.md section 11)
  { id: 'FAILOVER-ACKED-KEPT', since: 3, title: 'a durable store over a replicated deployment keeps every acknowledged write across a failover', rationale: 'Asynchronous replication acknowledges writes only the primary holds; a failover then discards them (Jepsen saw 56% of acknowledged writes lost by Redis with Sentinel), and a session store that loses logins on every failover is not durable.', appliesTo: durableOnly },
];

const byId = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/** Whether a requirement is new or changed after spec version `v`: the reason an upgrade shows it failing. */
export function changedSince(r: Requirement, v: number): string | null {
  if ((r.since ?? 1) > v) return `new in spec version ${r.since}`;
  if (r.changed && r.changed.version > v) return `changed in spec version ${r.changed.version}: ${r.changed.what}`;
  return null;
}

export function requirement(id: string): Requirement {
  const r = byId.get(id);
  if (!r) throw new Error(`unknown requirement ID ${id}`);
  return r;
}

export function isRequirementId(id: string): boolean {
  return byId.has(id);
}
