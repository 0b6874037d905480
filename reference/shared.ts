/**
 * The store of the change note as TitanPL builds it: one `RwLock<HashMap>` shared by every isolate
 * of a process. In Node each worker_thread is a V8 isolate; the map lives in SharedArrayBuffers that
 * every isolate maps, guarded by a readers–writer lock on Atomics.wait/notify. No message passing per
 * operation: `createShared()` is called once on the main thread, its result goes to every `open`.
 *
 * By concept: shared/layout.ts (buffers and words), shared/rwlock.ts (the lock and its write
 * sequence), shared/codec.ts (strings and hashing), shared/heap.ts (string heap), shared/table.ts
 * (hash table and per-session chains), shared/map.ts (locking, stats, shrinking),
 * shared/generation.ts (handing a fresh buffer set to every isolate), shared/registry.ts (one store
 * per dir), shared/storage.ts (the Storage API and the per-isolate value cache).
 *
 * `capacityBytes` bounds the committed size of the data map's table + heap (the registry has its own
 * 256 MiB bound); a write that cannot fit even after compaction throws a RangeError before changing
 * anything.
 */
import type { Implementation } from '../spec/contract.js';
import { currentGeneration, requestCurrent, subscribe } from './shared/generation.js';
import { C_GENERATION, createMapBuffers, DEFAULT_CAPACITY, isMapBuffers, type SharedOptions } from './shared/layout.js';
import { openShared, type SharedHandle, type SharedStorage } from './shared/storage.js';

export { RwLock } from './shared/rwlock.js';
export { SharedMap, type SharedStats } from './shared/map.js';
export { hashEntry } from './shared/codec.js';
export { createMapBuffers, S_VER_HI, S_VER_LO, SLOT_WORDS, TAG_LS, TAG_SESSION, TAGS_PER_STORE, type MapBuffers, type SharedOptions } from './shared/layout.js';
export { openShared, type SharedHandle, type SharedStorage } from './shared/storage.js';

const REGISTRY_CAPACITY = 256 * 1024 * 1024;
/** How long a late opener waits for another isolate to hand it the current buffer set. */
const LATE_OPEN_TIMEOUT_MS = 10_000;

/**
 * A new map pair. The creating isolate follows the data map's buffer sets while the handle lives, so
 * it can open the map later and hand the current set to isolates that open it late.
 */
export function createSharedHandle(options: SharedOptions = {}): SharedHandle {
  const handle: SharedHandle = {
    kind: 'titan-shared-store/3',
    data: createMapBuffers(options.capacityBytes ?? DEFAULT_CAPACITY, options.initialSlots ?? 64, options.initialHeapBytes ?? 64 * 1024),
    registry: createMapBuffers(REGISTRY_CAPACITY, 8, 1024),
  };
  const d = handle.data;
  subscribe(d.channel, { generation: d.generation, table: d.table, heap: d.heap }, handle);
  return handle;
}

export function isSharedHandle(x: unknown): x is SharedHandle {
  const h = x as Partial<SharedHandle> | null;
  return typeof h === 'object' && h !== null && h.kind === 'titan-shared-store/3' && isMapBuffers(h.data) && isMapBuffers(h.registry);
}

/** The handle passed as `shared`, or a fresh private one when none was given (single-isolate use). */
export function handleFrom(shared: unknown, options: SharedOptions = {}): SharedHandle {
  if (shared === undefined) return createSharedHandle(options);
  if (!isSharedHandle(shared)) throw new TypeError('open({ shared }) expects the result of createShared() of this implementation');
  return shared;
}

/**
 * Open synchronously when this isolate can reach the map's current buffers; otherwise (the handle
 * names a set the map has since left, and this isolate never saw the newer one) ask the isolates
 * that have it, and resolve once one answers.
 */
export function openCurrent(handle: SharedHandle, dir = ''): SharedStorage | Promise<SharedStorage> {
  // Follow the channel from before reading the generation, so no later set is missed.
  const d = handle.data;
  const unfollow = subscribe(d.channel, { generation: d.generation, table: d.table, heap: d.heap }, handle);
  const { generation, known } = currentGeneration(d, C_GENERATION);
  if (known) {
    try {
      return openShared(handle, dir);
    } finally {
      unfollow();
    }
  }
  return requestCurrent(d.channel, generation, LATE_OPEN_TIMEOUT_MS)
    .then(() => openShared(handle, dir))
    .finally(unfollow);
}

/** The shared reference store with options, e.g. a small `capacityBytes`. */
export function sharedImplementation(options: SharedOptions = {}, name = 'reference/shared'): Implementation {
  return {
    name,
    capabilities: { persistence: 'volatile', sharing: 'process' },
    createShared: () => createSharedHandle(options),
    open: ({ dir, shared }) => openCurrent(handleFrom(shared, options), dir),
  };
}

const shared: Implementation = sharedImplementation();
export default shared;
