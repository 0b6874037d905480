/**
 * The contract an implementation module satisfies. Its default export is an `Implementation`.
 * Stable: later versions may only add optional members.
 *
 * Arguments are typed `unknown` on purpose: converting keys, values and session ids with
 * JavaScript `String()` (and rejecting Symbols and throwing `toString`s with a TypeError) is
 * part of the behaviour under test (requirements VAL-COERCE, VAL-REJECT).
 */

import { persistenceProblem } from './persistence.js';

export type MaybePromise<T> = T | Promise<T>;

/**
 * Since spec version 3: a bounded-loss store may lose at most the operations acknowledged in the last
 * `windowMs` before a crash it declares to survive, and always as a suffix (what survives is the state
 * after a prefix of the acknowledged operations). A clean restart is always covered; power loss is opt-in.
 */
export interface BoundedPersistence {
  kind: 'bounded';
  windowMs: number;
  survives: ('restart' | 'sigkill' | 'powerloss')[];
}

export type Persistence = 'volatile' | 'durable' | BoundedPersistence;
export type Sharing = 'isolate' | 'process' | 'cluster';

export interface Capabilities {
  /** volatile: empty after a restart. durable: holds the state after the last completed operation. bounded: spec/persistence.ts. */
  persistence: Persistence;
  /** isolate: no sharing promised. process: all isolates of one process see one store. cluster: several processes do. */
  sharing: Sharing;
  /**
   * Optional: sessions expire this many seconds after their last write (reference/redis.ts with
   * sessionTtlSeconds). Not part of spec v1: checking a whole suite against expiring sessions would
   * race the clock, so stores are checked with TTL off and expiry is tested by the store's own tests.
   */
  ttl?: number;
}

export interface OpenOptions {
  /** A private scratch folder. Opening again with the same `dir` is a restart. */
  dir: string;
  /** The result of `Implementation.createShared()`, when the implementation defines it. */
  shared?: unknown;
}

export interface LocalStorage {
  get(key: unknown): MaybePromise<string | null>;
  set(key: unknown, value: unknown): MaybePromise<void>;
  remove(key: unknown): MaybePromise<void>;
  clear(): MaybePromise<void>;
  keys(): MaybePromise<string[]>;
}

export interface SessionStorage {
  get(sessionId: unknown, key: unknown): MaybePromise<string | null>;
  set(sessionId: unknown, key: unknown, value: unknown): MaybePromise<void>;
  delete(sessionId: unknown, key: unknown): MaybePromise<void>;
  clear(sessionId: unknown): MaybePromise<void>;
}

export interface Storage {
  ls: LocalStorage;
  session: SessionStorage;
  /** Release resources; a durable store must have persisted every completed operation before it resolves. */
  close?(): MaybePromise<void>;
}

export interface Implementation {
  name: string;
  capabilities: Capabilities;
  /** A fresh `dir` gives an empty store; the same `dir` again (after `close`) is a restart. */
  open(options: OpenOptions): MaybePromise<Storage>;
  /** Optional: called once per process on the main thread; its structured-cloneable result is passed to every `open` as `shared`. */
  createShared?(): unknown;
}

const SHARING: readonly string[] = ['isolate', 'process', 'cluster'];

/** Why `x` is not an Implementation, or null when it is one. Used by the CLI to refuse bad modules with a clear message. */
export function implementationProblem(x: unknown): string | null {
  if (x === null || typeof x !== 'object') return `the default export is ${x === null ? 'null' : typeof x}, not an Implementation object`;
  const impl = x as Record<string, unknown>;
  if (typeof impl.name !== 'string' || impl.name === '') return 'the default export has no string `name`';
  if (typeof impl.open !== 'function') return 'the default export has no `open(options)` function';
  const caps = impl.capabilities as Record<string, unknown> | undefined;
  if (!caps || typeof caps !== 'object') return 'the default export has no `capabilities` object';
  const persistence = persistenceProblem(caps.persistence);
  if (persistence) return persistence;
  if (!SHARING.includes(caps.sharing as string)) return `capabilities.sharing must be one of ${SHARING.join(', ')} (got ${String(caps.sharing)})`;
  if (impl.createShared !== undefined && typeof impl.createShared !== 'function') return '`createShared` must be a function when present';
  return null;
}
