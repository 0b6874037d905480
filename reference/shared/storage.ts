/**
 * The Storage API over a shared map, with a per-isolate cache of decoded values.
 *
 * A cached value remembers the slot and the 64-bit version its entry had when this isolate read or
 * wrote it. Versions are never reused within a map, so if that slot still carries that version, the
 * entry still holds that value. A hit checks it without taking the lock: it takes the lock's
 * optimistic stamp (no writer inside), reads the generation and the two version words, then
 * validates the stamp; a valid stamp means no write overlapped, and the read takes effect then. Any
 * doubt (a writer inside or since, moved buffers, other version) falls back to a lookup under the read lock,
 * which refreshes the cache. Writers bump a version only after the value is in place, inside the
 * write lock. Readers therefore never write shared memory on a hit, so isolates read in parallel.
 * Writes remember what they wrote, and a write or removal whose cached (slot, version) still holds
 * under the write lock goes straight to that slot instead of hashing the key and probing again.
 */
import type { Storage } from '../../spec/contract.js';
import { toStorageString } from '../memory.js';
import { C_GENERATION, S_VER_HI, S_VER_LO, SLOT_WORDS, TAG_LS, TAG_SESSION, TAGS_PER_STORE, type MapBuffers } from './layout.js';
import { SharedMap, type SharedStats } from './map.js';
import { Registry } from './registry.js';

/** The structured-cloneable result of `createShared()`: pass it to `open({ dir, shared })` in any isolate. */
export interface SharedHandle {
  readonly kind: 'titan-shared-store/3';
  /** Every store's entries; repointed at the current buffer set when this isolate adopts one. */
  readonly data: MapBuffers;
  /** Each open dir's store index. */
  readonly registry: MapBuffers;
}

export interface SharedStorage extends Storage {
  /** Memory of the shared map and entry counts of this store, read under the lock. */
  stats(): SharedStats;
  /** The underlying map, shared by every store of the handle (for tests and for building variants). */
  readonly map: SharedMap;
  /** This store's first tag: its local storage is tagBase + TAG_LS, its sessions tagBase + TAG_SESSION. */
  readonly tagBase: number;
  close(): void;
}

/** A decoded value and the (slot, version) it was current at. */
interface Cached {
  slot: number;
  lo: number;
  hi: number;
  value: string;
}
interface CachedKeys {
  slot: number;
  lo: number;
  hi: number;
  keys: string[];
}

/** The slot of a cached key this isolate removed: no slot holds it (the entry is kept, without its value, for a rewrite). */
const GONE = 2 ** 30;
/** Removed keys kept in the cache before a sweep drops them: at least this many, and half the cache. */
const GONE_MIN_SWEEP = 1024;

/** Bounds on one store's cache in one isolate; past either, the cache starts over. */
const CACHE_MAX_ENTRIES = 1 << 20;
const CACHE_MAX_UNITS = 1 << 25;

/** Open the store of `dir` behind `handle` in this isolate (the handle must name buffers this isolate can reach; see generation.ts). */
export function openShared(handle: SharedHandle, dir = ''): SharedStorage {
  const m = new SharedMap(handle.data);
  const registry = new Registry(handle.registry, m);
  const base = registry.attach(dir) * TAGS_PER_STORE;
  const LS = base + TAG_LS;
  const SES = base + TAG_SESSION;
  const lock = m.lock;
  const ctrl = m.control;
  let closed = false;
  const live = () => {
    if (closed) throw new Error(`the shared store of ${JSON.stringify(dir)} was closed by this isolate`);
  };

  let lsCache = new Map<string, Cached>();
  let sessionCache = new Map<string, Map<string, Cached>>();
  let cachedEntries = 0;
  let cachedUnits = 0;
  let lsKeys: CachedKeys | null = null;

  /** True if slot/version still hold, checked without the lock (see the file comment). */
  const current = (slot: number, lo: number, hi: number): boolean => {
    const stamp = lock.optimisticStamp();
    if (stamp < 0 || ctrl[C_GENERATION] !== m.generation) return false;
    const s = m.slots;
    const b = slot * SLOT_WORDS;
    return b < s.length && Atomics.load(s, b + S_VER_LO) === lo && s[b + S_VER_HI] === hi && lock.validate(stamp);
  };
  /** Remember slot i's value as `value` (lock held). */
  const remember = (into: Map<string, Cached>, key: string, i: number, value: string): void => {
    const s = m.slots;
    const b = i * SLOT_WORDS;
    const e = into.get(key);
    if (e !== undefined) return refresh(e, i, value);
    if (++cachedEntries > CACHE_MAX_ENTRIES || (cachedUnits += value.length + key.length) > CACHE_MAX_UNITS) forget();
    into.set(key, { slot: i, lo: s[b + S_VER_LO]!, hi: s[b + S_VER_HI]!, value });
  };
  /** Point a cached copy at slot i's current version and value (lock held). */
  const refresh = (e: Cached, i: number, value: string): void => {
    cachedUnits += value.length - e.value.length;
    e.slot = i;
    e.lo = m.slots[i * SLOT_WORDS + S_VER_LO]!;
    e.hi = m.slots[i * SLOT_WORDS + S_VER_HI]!;
    e.value = value;
  };
  let gone = 0;
  /** Keep a removed key's entry without its value: removing and rewriting a key then costs no cache allocation. */
  const bury = (e: Cached): void => {
    cachedUnits -= e.value.length;
    e.value = '';
    e.slot = GONE;
    if (++gone > GONE_MIN_SWEEP && gone * 2 > cachedEntries) sweep();
  };
  const sweep = () => {
    for (const cache of [lsCache, ...sessionCache.values()]) {
      for (const [k, e] of cache) {
        if (e.slot !== GONE) continue;
        cache.delete(k);
        cachedEntries--;
      }
    }
    gone = 0;
  };
  const forget = () => {
    lsCache = new Map();
    sessionCache = new Map();
    cachedEntries = 0;
    cachedUnits = 0;
    gone = 0;
  };
  const sessionEntries = (sid: string): Map<string, Cached> => {
    let c = sessionCache.get(sid);
    if (c === undefined) {
      if (++cachedEntries > CACHE_MAX_ENTRIES) forget();
      sessionCache.set(sid, (c = new Map()));
    }
    return c;
  };

  function get(tag: number, cache: Map<string, Cached>, sid: string, key: string): string | null {
    const e = cache.get(key);
    if (e !== undefined && current(e.slot, e.lo, e.hi)) return e.value;
    lock.readLock();
    try {
      m.sync();
      const i = m.find(tag, sid, key);
      if (i < 0) {
        if (e !== undefined) cache.delete(key);
        return null;
      }
      const v = m.valueAt(i);
      remember(cache, key, i, v);
      return v;
    } finally {
      lock.readUnlock();
    }
  }
  /**
   * A write remembers the value in this isolate's cache; other isolates' copies go stale by version. A cached
   * (slot, version) that still holds under the lock names the entry's slot, so the key is not hashed again.
   */
  function set(tag: number, cache: Map<string, Cached>, sid: string, key: string, value: string): void {
    const e = cache.get(key);
    lock.writeLock();
    try {
      m.sync();
      const i = m.put(tag, sid, key, value, e);
      if (e !== undefined) refresh(e, i, value);
      else remember(cache, key, i, value);
    } finally {
      lock.writeUnlock();
    }
  }
  function remove(tag: number, cache: Map<string, Cached> | undefined, sid: string, key: string): void {
    const e = cache?.get(key);
    m.delLocked(tag, sid, key, e);
    if (e !== undefined) bury(e);
  }

  return {
    map: m,
    tagBase: base,
    stats: () => m.statsLocked(base),
    close() {
      if (closed) return;
      closed = true;
      forget();
      registry.detach(dir);
      m.release();
    },
    ls: {
      get(key) {
        const k = toStorageString(key, 'key');
        live();
        return get(LS, lsCache, '', k);
      },
      set(key, value) {
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        live();
        set(LS, lsCache, '', k, v);
      },
      remove(key) {
        const k = toStorageString(key, 'key');
        live();
        remove(LS, lsCache, '', k);
      },
      clear() {
        live();
        m.delWhereLocked(LS, '');
        lsCache = new Map();
      },
      keys() {
        live();
        if (lsKeys !== null && current(lsKeys.slot, lsKeys.lo, lsKeys.hi)) return lsKeys.keys.slice();
        return m.read((t) => {
          const head = t.headOf(LS, '');
          if (head < 0) return (lsKeys = null), [];
          const keys = t.keysOf(LS, '');
          const b = head * SLOT_WORDS;
          lsKeys = { slot: head, lo: t.slots[b + S_VER_LO]!, hi: t.slots[b + S_VER_HI]!, keys };
          return keys.slice();
        });
      },
    },
    session: {
      get(id, key) {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        live();
        return get(SES, sessionEntries(sid), sid, k);
      },
      set(id, key, value) {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        live();
        set(SES, sessionEntries(sid), sid, k, v);
      },
      delete(id, key) {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        live();
        remove(SES, sessionCache.get(sid), sid, k);
      },
      clear(id) {
        const sid = toStorageString(id, 'session id');
        live();
        m.delWhereLocked(SES, sid);
        sessionCache.delete(sid);
      },
    },
  };
}
