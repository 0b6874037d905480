// Frozen baseline for bench/shared-store: reference/shared.ts as of commit 8e1d7d1, before the read cache,
// chains and shrinking buffers; imports adjusted, otherwise verbatim (hence one file, not split). Not a reference store.
/**
 * The store of the change note as TitanPL builds it: one `RwLock<HashMap>` shared by every isolate
 * of a process. In Node each worker_thread is a V8 isolate; the map lives in SharedArrayBuffers that
 * every isolate maps, guarded by a readers–writer lock on Atomics.wait/notify. No message passing per
 * operation: `createShared()` is called once on the main thread, its result goes to every `open`.
 *
 * Layout (all offsets in the units of the view named):
 *
 *  control  SharedArrayBuffer, Int32Array[CONTROL_WORDS] — lock word (readers count, waiting
 *           writers, writer bit; see RwLock), sleeping-thread count, table slot count, entry count, committed heap
 *           units, heap top, dead heap units, compactions, and an entry count per namespace tag.
 *  table    growable SharedArrayBuffer, Int32Array of `slots × SLOT_WORDS`: an open-addressing hash
 *           table with linear probing and backward-shift deletion (no tombstones, so churn cannot
 *           clog it). A slot is [hash (0 = empty), record offset, tag, sid length, key length, value
 *           length]. Slot count is a power of two, doubled past 5/8 load.
 *  heap     growable SharedArrayBuffer, read as Uint16Array (string code units) and Int32Array
 *           (record headers). A record is 2-unit aligned: header [record units, owning slot index or
 *           -1 when dead], then the session id, key and value as raw UTF-16 code units (so NUL, lone
 *           surrogates and astral characters survive exactly). Records are bump-allocated; a dead
 *           record counts as garbage, and the heap is compacted (live records slid down, their slots
 *           repointed) when garbage is a quarter of it, or before the capacity limit would refuse a
 *           write. So memory under churn stays bounded by a small multiple of the live data.
 *
 *  counts   growable SharedArrayBuffer, Int32Array: entries per tag (for O(1) "clear everything").
 *
 * An entry is identified by (tag, session id, key), compared by lengths and code units. Each store
 * (one per `dir`) owns 8 tags from its tagBase: tagBase + 0 is local storage (session id ""),
 * tagBase + 1 sessions. No string concatenation builds a composite key.
 *
 * Stores by dir: a second, small map of the same kind (the registry) maps each open dir to its store
 * index and open count. A store lives while some isolate has it open; the last close() removes its
 * entries, so close-then-open of a dir is a restart of a volatile store, and different dirs of one
 * handle are independent stores (as the conformance runner expects).
 *
 * Growth: both growable buffers grow in place (`SharedArrayBuffer.prototype.grow`), which every
 * isolate sees. Each isolate keeps fixed-length views (V8 in Node 20 does not optimize
 * length-tracking views: ~10x slower) and rebuilds them when the sizes recorded in `control` move.
 * `capacityBytes` bounds the committed size of the data map's table + heap (the registry has its own
 * 256 MiB bound); a write that cannot fit even after compaction throws a RangeError before changing
 * anything.
 */
import type { Implementation, Storage } from '../../spec/contract.js';
import { toStorageString } from '../../reference/memory.js';

// --- growable SharedArrayBuffer (ES2024; the project's lib is ES2023) ---------------------------

interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(newByteLength: number): void;
  readonly maxByteLength: number;
  readonly growable: boolean;
}
const GrowableSAB = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

// --- control words ---------------------------------------------------------------------------------

const C_LOCK = 0;
const C_SLEEPERS = 1;
const C_SLOTS = 2;
const C_ENTRIES = 3;
const C_HEAP_UNITS = 4;
const C_TOP = 5;
const C_DEAD = 6;
const C_COMPACTIONS = 7;
/** Length of the per-tag entry counts (the `counts` buffer), in tags. */
const C_COUNT_TAGS = 8;
/** Next store index to hand out (registry map only). */
const C_NEXT_STORE = 9;
const CONTROL_WORDS = 16;
const COUNTS_MAX_BYTES = 2 ** 26;

// --- table slots -----------------------------------------------------------------------------------

const SLOT_WORDS = 6;
const S_HASH = 0;
const S_REC = 1;
const S_TAG = 2;
const S_SID_LEN = 3;
const S_KEY_LEN = 4;
const S_VAL_LEN = 5;

// --- heap records ----------------------------------------------------------------------------------

/** Header: two int32 = four code units. */
const HEADER_UNITS = 4;
/** A heap offset is a code-unit index kept in an int32; stay well inside that. */
const HEAP_MAX_BYTES = 2 ** 31;
const TABLE_MAX_BYTES = 2 ** 31;

/**
 * Each store (one per `dir`) owns the tags [base, base + TAGS_PER_STORE): its local storage is
 * base + TAG_LS, its sessions base + TAG_SESSION; variants may use the others.
 */
export const TAGS_PER_STORE = 8;
export const TAG_LS = 0;
export const TAG_SESSION = 1;
/** Registry map tags: dir -> "storeIndex openCount"; and free store indices. */
const REG_DIR = 0;
const REG_FREE = 1;
const REGISTRY_CAPACITY = 256 * 1024 * 1024;

/** Strings up to this many code units are copied with charCodeAt / fromCharCode; longer ones through a Buffer. */
const SHORT_STRING = 32;

export interface SharedOptions {
  /** Upper bound on committed shared memory (hash table + string heap), in bytes. Default 2 GiB. */
  capacityBytes?: number;
  /** Initial heap size in bytes (default 64 KiB). */
  initialHeapBytes?: number;
  /** Initial table slot count, a power of two (default 64). */
  initialSlots?: number;
}

/** The shared buffers of one SharedMap. */
export interface MapBuffers {
  readonly control: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
  readonly heap: SharedArrayBuffer;
  /** Entry count per tag (Int32Array). */
  readonly counts: SharedArrayBuffer;
  readonly capacityBytes: number;
}

/**
 * The structured-cloneable result of `createShared()`: pass it to `open({ dir, shared })` in any
 * isolate. `data` holds every store's entries; `registry` maps each open dir to its store index.
 */
export interface SharedHandle {
  readonly kind: 'titan-shared-store/2';
  readonly data: MapBuffers;
  readonly registry: MapBuffers;
}

export interface SharedStats {
  /** Entries of every store in the map. */
  entries: number;
  /** This store's local-storage and session entries. */
  lsEntries: number;
  sessionEntries: number;
  slots: number;
  tableBytes: number;
  /** Committed heap size (grows, never shrinks). */
  heapBytes: number;
  /** Heap bytes below the bump pointer (live + garbage). */
  heapUsedBytes: number;
  liveBytes: number;
  garbageBytes: number;
  /** tableBytes + heapBytes: what the store holds of the process's memory. */
  committedBytes: number;
  capacityBytes: number;
  compactions: number;
}

const DEFAULT_CAPACITY = 2 ** 31;

export function createSharedHandle(options: SharedOptions = {}): SharedHandle {
  return {
    kind: 'titan-shared-store/2',
    data: createMapBuffers(options.capacityBytes ?? DEFAULT_CAPACITY, options.initialSlots ?? 64, options.initialHeapBytes ?? 64 * 1024),
    registry: createMapBuffers(REGISTRY_CAPACITY, 8, 1024),
  };
}

export function createMapBuffers(capacityBytes: number, slots: number, initialHeapBytes: number): MapBuffers {
  if (!(capacityBytes > 0)) throw new RangeError(`capacityBytes must be positive (got ${capacityBytes})`);
  if (slots < 8 || (slots & (slots - 1)) !== 0) throw new RangeError(`initialSlots must be a power of two >= 8 (got ${slots})`);
  const tableBytes = slots * SLOT_WORDS * 4;
  if (tableBytes > capacityBytes) throw new RangeError(`capacityBytes ${capacityBytes} is too small for the initial table (${tableBytes} bytes)`);
  const heapBytes = Math.max(0, Math.min(roundUp(initialHeapBytes, 4), capacityBytes - tableBytes, HEAP_MAX_BYTES) & ~3);
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const table = new GrowableSAB(tableBytes, { maxByteLength: Math.max(tableBytes, Math.min(TABLE_MAX_BYTES, floorTo(capacityBytes, 4))) });
  const heap = new GrowableSAB(heapBytes, { maxByteLength: Math.max(heapBytes, Math.min(HEAP_MAX_BYTES, floorTo(capacityBytes, 4))) });
  const counts = new GrowableSAB(TAGS_PER_STORE * 2 * 4, { maxByteLength: COUNTS_MAX_BYTES });
  const c = new Int32Array(control);
  c[C_SLOTS] = slots;
  c[C_HEAP_UNITS] = heapBytes / 2;
  c[C_COUNT_TAGS] = TAGS_PER_STORE * 2;
  c[C_NEXT_STORE] = 0;
  return { control, table, heap, counts, capacityBytes };
}

function isMapBuffers(b: unknown): b is MapBuffers {
  const m = b as Partial<MapBuffers> | null;
  return (
    typeof m === 'object' && m !== null && typeof m.capacityBytes === 'number' &&
    [m.control, m.table, m.heap, m.counts].every((x) => x instanceof SharedArrayBuffer)
  );
}

export function isSharedHandle(x: unknown): x is SharedHandle {
  const h = x as Partial<SharedHandle> | null;
  return typeof h === 'object' && h !== null && h.kind === 'titan-shared-store/2' && isMapBuffers(h.data) && isMapBuffers(h.registry);
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
function floorTo(n: number, m: number): number {
  return Math.floor(n / m) * m;
}

// --- readers–writer lock ---------------------------------------------------------------------------

const R_COUNT = 0x000fffff; // readers holding (or, for an instant, backing off)
const R_WAITING_WRITER = 1 << 20; // one unit per writer waiting: bits 20..29
const R_WAITING_MASK = 0x3ff00000;
const R_WRITER = 1 << 30; // a writer holds the lock
const SPINS = 64;
/** Sleeps are bounded so a lost wake-up (there should be none) costs a pause, not a hang. */
const SLEEP_MS = 20;

/**
 * A readers–writer lock in one word of shared memory (plus a count of sleepers, so releasing
 * skips Atomics.notify when nobody sleeps). The word holds the reader count, the number of writers
 * waiting, and a writer-holds bit. A reader takes the lock with one Atomics.add when no writer holds
 * or waits (writers are preferred, so a stream of readers cannot starve them); otherwise it backs
 * off and sleeps. A writer takes it with one compareExchange when no reader or writer holds it.
 * Not reentrant.
 */
export class RwLock {
  constructor(
    private readonly words: Int32Array,
    private readonly state = C_LOCK,
    private readonly sleepers = C_SLEEPERS,
  ) {}

  readLock(): void {
    const w = this.words;
    if ((Atomics.add(w, this.state, 1) & ~R_COUNT) === 0) return;
    this.backOff();
    for (let spins = 0; ; spins++) {
      const s = Atomics.load(w, this.state);
      if ((s & ~R_COUNT) === 0) {
        if ((Atomics.add(w, this.state, 1) & ~R_COUNT) === 0) return;
        this.backOff();
      } else if (spins >= SPINS) {
        this.sleep(s);
      }
    }
  }

  readUnlock(): void {
    const prev = Atomics.sub(this.words, this.state, 1);
    // The last reader out wakes a waiting writer.
    if ((prev & R_COUNT) === 1 && (prev & R_WAITING_MASK) !== 0) this.wake();
  }

  writeLock(): void {
    const w = this.words;
    if (Atomics.compareExchange(w, this.state, 0, R_WRITER) === 0) return;
    Atomics.add(w, this.state, R_WAITING_WRITER);
    for (let spins = 0; ; spins++) {
      const s = Atomics.load(w, this.state);
      if ((s & (R_COUNT | R_WRITER)) === 0) {
        // Take the lock and drop our waiting mark in one step.
        if (Atomics.compareExchange(w, this.state, s, s - R_WAITING_WRITER + R_WRITER) === s) return;
      } else if (spins >= SPINS) {
        this.sleep(s);
      }
    }
  }

  writeUnlock(): void {
    Atomics.sub(this.words, this.state, R_WRITER);
    this.wake();
  }

  /** Take the read lock only if that needs no waiting. */
  tryReadLock(): boolean {
    if ((Atomics.add(this.words, this.state, 1) & ~R_COUNT) === 0) return true;
    this.backOff();
    return false;
  }

  /** Take the write lock only if nobody holds it. */
  tryWriteLock(): boolean {
    return Atomics.compareExchange(this.words, this.state, 0, R_WRITER) === 0;
  }

  /** Readers holding the lock now, or -1 while a writer holds it (for tests and diagnostics). */
  holders(): number {
    const s = Atomics.load(this.words, this.state);
    return (s & R_WRITER) !== 0 ? -1 : s & R_COUNT;
  }

  /** Undo an optimistic reader increment; wake a writer if that emptied the lock. */
  private backOff(): void {
    const prev = Atomics.sub(this.words, this.state, 1);
    if ((prev & R_COUNT) === 1 && (prev & R_WAITING_MASK) !== 0) this.wake();
  }

  private sleep(observed: number): void {
    const w = this.words;
    Atomics.add(w, this.sleepers, 1);
    Atomics.wait(w, this.state, observed, SLEEP_MS);
    Atomics.sub(w, this.sleepers, 1);
  }

  private wake(): void {
    if (Atomics.load(this.words, this.sleepers) !== 0) Atomics.notify(this.words, this.state);
  }
}

// --- the shared hash map ---------------------------------------------------------------------------

/**
 * One isolate's view of a shared store. Methods named `*Locked` take the lock themselves; the
 * others (`find`, `get`, `put`, `del`, `delWhere`, `keysOf`) expect the caller to hold it (read lock
 * for lookups, write lock for changes) and to have called `sync()` after acquiring it.
 */
export class SharedMap {
  readonly lock: RwLock;
  private readonly ctrl: Int32Array;
  private readonly tableBuf: GrowableSharedArrayBuffer;
  private readonly heapBuf: GrowableSharedArrayBuffer;
  private readonly countsBuf: GrowableSharedArrayBuffer;
  private readonly capacityBytes: number;
  private countTags = 0;
  private counts!: Int32Array;
  private slotCount = 0;
  private mask = 0;
  private slots!: Int32Array;
  private heapUnits = -1;
  private u16!: Uint16Array;
  private hdr!: Int32Array;
  private bytes!: Buffer;

  constructor(buffers: MapBuffers) {
    this.ctrl = new Int32Array(buffers.control);
    this.tableBuf = buffers.table as GrowableSharedArrayBuffer;
    this.heapBuf = buffers.heap as GrowableSharedArrayBuffer;
    this.countsBuf = buffers.counts as GrowableSharedArrayBuffer;
    this.capacityBytes = buffers.capacityBytes;
    this.lock = new RwLock(this.ctrl);
    this.sync();
  }

  /** Rebuild this isolate's views if another isolate grew the buffers. Call with the lock held. */
  sync(): void {
    const c = this.ctrl;
    if (c[C_SLOTS] !== this.slotCount) {
      this.slotCount = c[C_SLOTS]!;
      this.mask = this.slotCount - 1;
      this.slots = new Int32Array(this.tableBuf, 0, this.slotCount * SLOT_WORDS);
    }
    if (c[C_HEAP_UNITS] !== this.heapUnits) {
      this.heapUnits = c[C_HEAP_UNITS]!;
      this.u16 = new Uint16Array(this.heapBuf, 0, this.heapUnits);
      this.hdr = new Int32Array(this.heapBuf, 0, this.heapUnits >> 1);
      this.bytes = Buffer.from(this.heapBuf, 0, this.heapUnits * 2);
    }
    if (c[C_COUNT_TAGS] !== this.countTags) {
      this.countTags = c[C_COUNT_TAGS]!;
      this.counts = new Int32Array(this.countsBuf, 0, this.countTags);
    }
  }

  // -- lookups (read lock) --

  /** Slot index of (tag, sid, key), or -1. */
  find(tag: number, sid: string, key: string): number {
    const h = hashEntry(tag, sid, key);
    const slots = this.slots;
    const mask = this.mask;
    const sl = sid.length;
    const kl = key.length;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const b = i * SLOT_WORDS;
      const sh = slots[b + S_HASH]!;
      if (sh === 0) return -1;
      if (sh === h && slots[b + S_TAG] === tag && slots[b + S_SID_LEN] === sl && slots[b + S_KEY_LEN] === kl && this.payloadEquals(slots[b + S_REC]! + HEADER_UNITS, sid, key)) return i;
    }
  }

  get(tag: number, sid: string, key: string): string | null {
    const i = this.find(tag, sid, key);
    if (i < 0) return null;
    const b = i * SLOT_WORDS;
    const s = this.slots;
    return this.decode(s[b + S_REC]! + HEADER_UNITS + s[b + S_SID_LEN]! + s[b + S_KEY_LEN]!, s[b + S_VAL_LEN]!);
  }

  /** Keys of every entry with this tag (and this session id, when given). A fresh array. */
  keysOf(tag: number, sid?: string): string[] {
    const s = this.slots;
    const out: string[] = [];
    for (let i = 0; i < this.slotCount; i++) {
      const b = i * SLOT_WORDS;
      if (s[b + S_HASH] === 0 || s[b + S_TAG] !== tag) continue;
      const at = s[b + S_REC]! + HEADER_UNITS;
      if (sid !== undefined && !this.sidEquals(b, at, sid)) continue;
      out.push(this.decode(at + s[b + S_SID_LEN]!, s[b + S_KEY_LEN]!));
    }
    return out;
  }

  count(tag: number): number {
    return tag < this.countTags ? this.counts[tag]! : 0;
  }

  /** Make room for entry counts of tags below `tags` (write lock). */
  ensureTags(tags: number): void {
    if (tags <= this.countTags) return;
    const next = Math.max(tags, this.countTags * 2);
    if (next * 4 > this.countsBuf.maxByteLength) throw new RangeError(`shared store capacity exceeded: no room for ${tags} namespace tags`);
    this.countsBuf.grow(next * 4);
    this.ctrl[C_COUNT_TAGS] = next;
    this.sync();
  }

  /** A new number from a shared counter (store indices). */
  nextId(): number {
    return Atomics.add(this.ctrl, C_NEXT_STORE, 1);
  }

  // -- changes (write lock) --

  put(tag: number, sid: string, key: string, value: string): void {
    const h = hashEntry(tag, sid, key);
    const units = recordUnits(sid.length + key.length + value.length);
    let i = this.find(tag, sid, key);
    if (i >= 0) {
      const b = i * SLOT_WORDS;
      const rec = this.slots[b + S_REC]!;
      const payload = HEADER_UNITS + sid.length + key.length;
      if (this.hdr[rec >> 1] === units) {
        this.encode(value, rec + payload);
        this.slots[b + S_VAL_LEN] = value.length;
        return;
      }
      const at = this.alloc(units); // may compact: re-read the old record's place below
      const old = this.slots[b + S_REC]!;
      this.writeRecord(at, units, i, sid, key, value);
      this.markDead(old);
      this.slots[b + S_REC] = at;
      this.slots[b + S_VAL_LEN] = value.length;
      return;
    }
    const c = this.ctrl;
    if ((c[C_ENTRIES]! + 1) * 8 > this.slotCount * 5) this.growTable();
    const at = this.alloc(units);
    for (i = h & this.mask; this.slots[i * SLOT_WORDS + S_HASH] !== 0; i = (i + 1) & this.mask);
    this.writeRecord(at, units, i, sid, key, value);
    const b = i * SLOT_WORDS;
    const s = this.slots;
    s[b + S_HASH] = h;
    s[b + S_REC] = at;
    s[b + S_TAG] = tag;
    s[b + S_SID_LEN] = sid.length;
    s[b + S_KEY_LEN] = key.length;
    s[b + S_VAL_LEN] = value.length;
    c[C_ENTRIES]!++;
    this.counts[tag]!++;
  }

  /** Remove (tag, sid, key); true if it was present. */
  del(tag: number, sid: string, key: string): boolean {
    const i = this.find(tag, sid, key);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Remove every entry with this tag (and this session id, when given): one pass, under the caller's one write lock. */
  delWhere(tag: number, sid?: string): void {
    const c = this.ctrl;
    const n = this.count(tag);
    if (n === 0) return;
    if (sid === undefined && n === c[C_ENTRIES]) return this.reset();
    const s = this.slots;
    for (let i = 0; i < this.slotCount; ) {
      const b = i * SLOT_WORDS;
      // removeAt shifts a later entry into slot i: look at i again.
      if (s[b + S_HASH] !== 0 && s[b + S_TAG] === tag && (sid === undefined || this.sidEquals(b, s[b + S_REC]! + HEADER_UNITS, sid))) this.removeAt(i);
      else i++;
    }
  }

  /** Memory of the whole map; entry counts of the store whose tags start at `base`. */
  stats(base = 0): SharedStats {
    const c = this.ctrl;
    const tableBytes = c[C_SLOTS]! * SLOT_WORDS * 4;
    const heapBytes = c[C_HEAP_UNITS]! * 2;
    return {
      entries: c[C_ENTRIES]!,
      lsEntries: this.count(base + TAG_LS),
      sessionEntries: this.count(base + TAG_SESSION),
      slots: c[C_SLOTS]!,
      tableBytes,
      heapBytes,
      heapUsedBytes: c[C_TOP]! * 2,
      liveBytes: (c[C_TOP]! - c[C_DEAD]!) * 2,
      garbageBytes: c[C_DEAD]! * 2,
      committedBytes: tableBytes + heapBytes,
      capacityBytes: this.capacityBytes,
      compactions: c[C_COMPACTIONS]!,
    };
  }

  // -- locked conveniences --

  read<T>(fn: (m: SharedMap) => T): T {
    this.lock.readLock();
    try {
      this.sync();
      return fn(this);
    } finally {
      this.lock.readUnlock();
    }
  }

  write<T>(fn: (m: SharedMap) => T): T {
    this.lock.writeLock();
    try {
      this.sync();
      return fn(this);
    } finally {
      this.lock.writeUnlock();
    }
  }

  getLocked(tag: number, sid: string, key: string): string | null {
    this.lock.readLock();
    try {
      this.sync();
      return this.get(tag, sid, key);
    } finally {
      this.lock.readUnlock();
    }
  }

  putLocked(tag: number, sid: string, key: string, value: string): void {
    this.lock.writeLock();
    try {
      this.sync();
      this.put(tag, sid, key, value);
    } finally {
      this.lock.writeUnlock();
    }
  }

  delLocked(tag: number, sid: string, key: string): void {
    this.lock.writeLock();
    try {
      this.sync();
      this.del(tag, sid, key);
    } finally {
      this.lock.writeUnlock();
    }
  }

  delWhereLocked(tag: number, sid?: string): void {
    this.lock.writeLock();
    try {
      this.sync();
      this.delWhere(tag, sid);
    } finally {
      this.lock.writeUnlock();
    }
  }

  keysLocked(tag: number): string[] {
    this.lock.readLock();
    try {
      this.sync();
      return this.keysOf(tag);
    } finally {
      this.lock.readUnlock();
    }
  }

  statsLocked(base = 0): SharedStats {
    return this.read((m) => m.stats(base));
  }

  // -- internals --

  private removeAt(hole: number): void {
    const s = this.slots;
    const mask = this.mask;
    const c = this.ctrl;
    this.markDead(s[hole * SLOT_WORDS + S_REC]!);
    c[C_ENTRIES]!--;
    this.counts[s[hole * SLOT_WORDS + S_TAG]!]!--;
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const jb = j * SLOT_WORDS;
      const h = s[jb + S_HASH]!;
      if (h === 0) break;
      if (((j - (h & mask)) & mask) >= ((j - hole) & mask)) {
        s.copyWithin(hole * SLOT_WORDS, jb, jb + SLOT_WORDS);
        this.hdr[(s[jb + S_REC]! >> 1) + 1] = hole;
        hole = j;
      }
    }
    s.fill(0, hole * SLOT_WORDS, hole * SLOT_WORDS + SLOT_WORDS);
    if (c[C_ENTRIES] === 0) {
      c[C_TOP] = 0;
      c[C_DEAD] = 0;
    }
  }

  /** Empty everything: zero the table, rewind the heap. */
  private reset(): void {
    const c = this.ctrl;
    this.slots.fill(0);
    c[C_ENTRIES] = 0;
    this.counts.fill(0);
    c[C_TOP] = 0;
    c[C_DEAD] = 0;
  }

  private markDead(rec: number): void {
    this.hdr[(rec >> 1) + 1] = -1;
    this.ctrl[C_DEAD]! += this.hdr[rec >> 1]!;
  }

  private writeRecord(at: number, units: number, slot: number, sid: string, key: string, value: string): void {
    this.hdr[at >> 1] = units;
    this.hdr[(at >> 1) + 1] = slot;
    let p = at + HEADER_UNITS;
    this.encode(sid, p);
    p += sid.length;
    this.encode(key, p);
    this.encode(value, p + key.length);
  }

  /** Reserve `units` at the heap top, compacting or growing first if needed. */
  private alloc(units: number): number {
    const c = this.ctrl;
    if (c[C_TOP]! + units > this.heapUnits) this.makeRoom(units);
    const at = c[C_TOP]!;
    c[C_TOP] = at + units;
    return at;
  }

  private makeRoom(units: number): void {
    const c = this.ctrl;
    if (c[C_DEAD]! * 4 >= this.heapUnits) this.compact();
    if (c[C_TOP]! + units <= this.heapUnits) return;
    const tableBytes = this.slotCount * SLOT_WORDS * 4;
    const limit = Math.floor(Math.min(this.capacityBytes - tableBytes, this.heapBuf.maxByteLength) / 4) * 2;
    if (c[C_TOP]! + units > limit && c[C_DEAD]! > 0) this.compact();
    const need = c[C_TOP]! + units;
    if (need > limit) throw this.capacityError(units * 2);
    if (need > this.heapUnits) {
      const next = Math.min(limit, Math.max(need, this.heapUnits * 2, 4096));
      this.heapBuf.grow(next * 2);
      c[C_HEAP_UNITS] = next;
      this.sync();
    }
  }

  /** Slide live records down over dead ones, repointing their slots. */
  private compact(): void {
    const c = this.ctrl;
    const top = c[C_TOP]!;
    const hdr = this.hdr;
    let w = 0;
    for (let r = 0; r < top; ) {
      const units = hdr[r >> 1]!;
      const slot = hdr[(r >> 1) + 1]!;
      if (slot >= 0) {
        if (r !== w) {
          this.u16.copyWithin(w, r, r + units);
          this.slots[slot * SLOT_WORDS + S_REC] = w;
        }
        w += units;
      }
      r += units;
    }
    c[C_TOP] = w;
    c[C_DEAD] = 0;
    c[C_COMPACTIONS]!++;
  }

  /** Double the table and reinsert every entry. Throws before changing anything if capacity forbids it. */
  private growTable(): void {
    const c = this.ctrl;
    const nextSlots = this.slotCount * 2;
    const nextBytes = nextSlots * SLOT_WORDS * 4;
    if (nextBytes + this.heapUnits * 2 > this.capacityBytes || nextBytes > this.tableBuf.maxByteLength) throw this.capacityError(nextBytes - this.slotCount * SLOT_WORDS * 4);
    const old = this.slots.slice();
    this.tableBuf.grow(nextBytes);
    c[C_SLOTS] = nextSlots;
    this.sync();
    const s = this.slots;
    s.fill(0);
    const mask = this.mask;
    for (let b = 0; b < old.length; b += SLOT_WORDS) {
      const h = old[b + S_HASH]!;
      if (h === 0) continue;
      let i = h & mask;
      while (s[i * SLOT_WORDS + S_HASH] !== 0) i = (i + 1) & mask;
      s.set(old.subarray(b, b + SLOT_WORDS), i * SLOT_WORDS);
      this.hdr[(old[b + S_REC]! >> 1) + 1] = i;
    }
  }

  private capacityError(extraBytes: number): RangeError {
    const st = this.stats();
    return new RangeError(
      `shared store capacity exceeded: capacityBytes is ${this.capacityBytes}; the write needs ${extraBytes} more bytes ` +
        `(live data ${st.liveBytes} bytes in a ${st.heapBytes}-byte heap, table ${st.tableBytes} bytes); nothing was changed`,
    );
  }

  private payloadEquals(at: number, sid: string, key: string): boolean {
    const u = this.u16;
    for (let i = 0; i < sid.length; i++) if (u[at + i] !== sid.charCodeAt(i)) return false;
    at += sid.length;
    for (let i = 0; i < key.length; i++) if (u[at + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private sidEquals(slotBase: number, at: number, sid: string): boolean {
    if (this.slots[slotBase + S_SID_LEN] !== sid.length) return false;
    const u = this.u16;
    for (let i = 0; i < sid.length; i++) if (u[at + i] !== sid.charCodeAt(i)) return false;
    return true;
  }

  private encode(s: string, at: number): void {
    const n = s.length;
    if (n > SHORT_STRING) {
      this.bytes.write(s, at * 2, n * 2, 'utf16le');
      return;
    }
    const u = this.u16;
    for (let i = 0; i < n; i++) u[at + i] = s.charCodeAt(i);
  }

  private decode(at: number, n: number): string {
    if (n > SHORT_STRING) return this.bytes.toString('utf16le', at * 2, (at + n) * 2);
    const u = this.u16;
    const f = String.fromCharCode;
    let out = '';
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const p = at + i;
      out += f(u[p]!, u[p + 1]!, u[p + 2]!, u[p + 3]!, u[p + 4]!, u[p + 5]!, u[p + 6]!, u[p + 7]!);
    }
    for (; i < n; i++) out += f(u[at + i]!);
    return out;
  }
}

/** Units of a record holding `payload` code units: header + payload, rounded up to keep headers int32-aligned. */
function recordUnits(payload: number): number {
  return (HEADER_UNITS + payload + 1) & ~1;
}

/**
 * FNV-1a-style mixing over the tag, the session id, its length and the key, two code units per
 * multiply, then the murmur3 finalizer; never 0 (0 marks an empty slot).
 */
export function hashEntry(tag: number, sid: string, key: string): number {
  let h = 0x811c9dc5 ^ tag;
  h = mixUnits(h, sid);
  h = Math.imul(h ^ (0x10000 + sid.length), 0x01000193);
  h = mixUnits(h, key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

function mixUnits(h: number, s: string): number {
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i < n) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

// --- stores by dir ---------------------------------------------------------------------------------

/**
 * The stores of one handle, one per `dir`: the registry map holds dir -> "index openCount". A store
 * lives while some isolate has it open; when the last one closes it, its entries are removed and its
 * index is reused, so closing and reopening a dir is a restart of a volatile store (empty).
 */
class Registry {
  private readonly reg: SharedMap;

  constructor(
    buffers: MapBuffers,
    private readonly data: SharedMap,
  ) {
    this.reg = new SharedMap(buffers);
  }

  /** Attach to the store of `dir` (creating it); returns its index. */
  attach(dir: string): number {
    return this.reg.write((r) => {
      const entry = r.get(REG_DIR, '', dir);
      if (entry !== null) {
        const [index, opens] = entry.split(' ').map(Number) as [number, number];
        r.put(REG_DIR, '', dir, `${index} ${opens + 1}`);
        return index;
      }
      const free = r.count(REG_FREE) > 0 ? r.keysOf(REG_FREE)[0]! : null;
      const index = free === null ? r.nextId() : Number(free);
      this.data.write((d) => d.ensureTags((index + 1) * TAGS_PER_STORE));
      r.put(REG_DIR, '', dir, `${index} 1`);
      if (free !== null) r.del(REG_FREE, '', free);
      return index;
    });
  }

  /** Detach from the store of `dir`; the last detach removes its entries. */
  detach(dir: string): void {
    this.reg.write((r) => {
      const entry = r.get(REG_DIR, '', dir);
      if (entry === null) return;
      const [index, opens] = entry.split(' ').map(Number) as [number, number];
      if (opens > 1) return r.put(REG_DIR, '', dir, `${index} ${opens - 1}`);
      this.data.write((d) => {
        for (let t = 0; t < TAGS_PER_STORE; t++) d.delWhere(index * TAGS_PER_STORE + t);
      });
      r.del(REG_DIR, '', dir);
      r.put(REG_FREE, '', String(index), '');
    });
  }
}

// --- the Storage API -------------------------------------------------------------------------------

export interface SharedStorage extends Storage {
  /** Memory of the shared map and entry counts of this store, read under the lock. */
  stats(): SharedStats;
  /** The underlying map, shared by every store of the handle (for tests and for building variants). */
  readonly map: SharedMap;
  /** This store's first tag: its local storage is tagBase + TAG_LS, its sessions tagBase + TAG_SESSION. */
  readonly tagBase: number;
  close(): void;
}

/** Open the store of `dir` behind `handle` in this isolate. */
export function openShared(handle: SharedHandle, dir = ''): SharedStorage {
  const m = new SharedMap(handle.data);
  const registry = new Registry(handle.registry, m);
  const base = registry.attach(dir) * TAGS_PER_STORE;
  const LS = base + TAG_LS;
  const SES = base + TAG_SESSION;
  const lock = m.lock;
  let closed = false;
  const live = () => {
    if (closed) throw new Error(`the shared store of ${JSON.stringify(dir)} was closed by this isolate`);
  };
  return {
    map: m,
    tagBase: base,
    stats: () => m.statsLocked(base),
    close() {
      if (closed) return;
      closed = true;
      registry.detach(dir);
    },
    ls: {
      get(key) {
        const k = toStorageString(key, 'key');
        live();
        lock.readLock();
        try {
          m.sync();
          return m.get(LS, '', k);
        } finally {
          lock.readUnlock();
        }
      },
      set(key, value) {
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        live();
        lock.writeLock();
        try {
          m.sync();
          m.put(LS, '', k, v);
        } finally {
          lock.writeUnlock();
        }
      },
      remove(key) {
        const k = toStorageString(key, 'key');
        live();
        m.delLocked(LS, '', k);
      },
      clear() {
        live();
        m.delWhereLocked(LS);
      },
      keys() {
        live();
        return m.keysLocked(LS);
      },
    },
    session: {
      get(id, key) {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        live();
        lock.readLock();
        try {
          m.sync();
          return m.get(SES, sid, k);
        } finally {
          lock.readUnlock();
        }
      },
      set(id, key, value) {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        live();
        lock.writeLock();
        try {
          m.sync();
          m.put(SES, sid, k, v);
        } finally {
          lock.writeUnlock();
        }
      },
      delete(id, key) {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        live();
        m.delLocked(SES, sid, k);
      },
      clear(id) {
        const sid = toStorageString(id, 'session id');
        live();
        m.delWhereLocked(SES, sid);
      },
    },
  };
}

/** The handle passed as `shared`, or a fresh private one when none was given (single-isolate use). */
export function handleFrom(shared: unknown, options: SharedOptions = {}): SharedHandle {
  if (shared === undefined) return createSharedHandle(options);
  if (!isSharedHandle(shared)) throw new TypeError('open({ shared }) expects the result of createShared() of this implementation');
  return shared;
}

/** The shared reference store with options, e.g. a small `capacityBytes`. */
export function sharedImplementation(options: SharedOptions = {}, name = 'reference/shared'): Implementation {
  return {
    name,
    capabilities: { persistence: 'volatile', sharing: 'process' },
    createShared: () => createSharedHandle(options),
    open: ({ dir, shared }) => openShared(handleFrom(shared, options), dir),
  };
}

const shared: Implementation = sharedImplementation();
export default shared;
