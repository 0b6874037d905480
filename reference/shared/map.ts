/**
 * One isolate's handle on a shared map: the hash table behind its readers–writer lock, locked
 * conveniences, statistics, and the move to a smaller buffer set after mass removals.
 * Methods named `*Locked` take the lock themselves; the table's own methods expect the caller to
 * hold it and to have called `sync()` after taking it.
 */
import { publish } from './generation.js';
import {
  C_COMPACTIONS, C_DEAD, C_ENTRIES, C_GENERATION, C_HEADS, C_HEAP_UNITS, C_SLOTS, C_TOP, createDataBuffers, S_HASH, S_REC, SLOT_WORDS, TAG_LS, TAG_SESSION,
  type MapBuffers,
} from './layout.js';
import { RwLock } from './rwlock.js';
import { HashTable, type SlotVersion } from './table.js';

export interface SharedStats {
  /** Entries of every store in the map. */
  entries: number;
  /** This store's local-storage and session entries. */
  lsEntries: number;
  sessionEntries: number;
  slots: number;
  tableBytes: number;
  /** Committed heap size of the current buffer set. */
  heapBytes: number;
  /** Heap bytes below the bump pointer (live + garbage). */
  heapUsedBytes: number;
  liveBytes: number;
  garbageBytes: number;
  /** tableBytes + heapBytes: what the store holds of the process's memory. */
  committedBytes: number;
  capacityBytes: number;
  compactions: number;
  /** Buffer sets this map has moved to (each after a clear or mass removal left it mostly empty). */
  generation: number;
}

/** Move to a fresh set when the current one is at least this many times what the live data needs... */
const SHRINK_RATIO = 4;
/** ...and that frees at least this much. */
const SHRINK_MIN_BYTES = 256 * 1024;

export class SharedMap extends HashTable {
  readonly lock: RwLock;

  /** `shrinks`: whether mass removals move the map to a smaller buffer set (not for the tiny registry). */
  constructor(
    buffers: MapBuffers,
    private readonly shrinks = true,
  ) {
    super(buffers);
    if (shrinks) this.follow();
    this.lock = new RwLock(this.ctrl);
    this.sync();
  }

  /** The control words (lock, sequence, generation) for the storage's validated lock-free reads. */
  get control(): Int32Array {
    return this.ctrl;
  }

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
      generation: c[C_GENERATION]!,
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
    return this.read((m) => m.get(tag, sid, key));
  }

  putLocked(tag: number, sid: string, key: string, value: string): void {
    this.write((m) => void m.put(tag, sid, key, value));
  }

  /** `at`: as for `del`. No closure, unlike its neighbours: a removal is on the storage's hot path. */
  delLocked(tag: number, sid: string, key: string, at?: SlotVersion): void {
    this.lock.writeLock();
    try {
      this.sync();
      if (this.del(tag, sid, key, at)) this.shrinkIfSparse();
    } finally {
      this.lock.writeUnlock();
    }
  }

  delWhereLocked(tag: number, sid?: string): void {
    this.write((m) => {
      m.delWhere(tag, sid);
      m.shrinkIfSparse();
    });
  }

  keysLocked(tag: number, sid?: string): string[] {
    return this.read((m) => m.keysOf(tag, sid));
  }

  statsLocked(base = 0): SharedStats {
    return this.read((m) => m.stats(base));
  }

  /**
   * After removals (write lock held): when the buffers are mostly empty, copy the live entries into a
   * fresh set sized for them, post it to the other isolates, then bump the generation word.
   */
  shrinkIfSparse(): void {
    if (!this.shrinks) return;
    const c = this.ctrl;
    const committed = this.slotCount * SLOT_WORDS * 4 + this.heapUnits * 2;
    const live = c[C_TOP]! - c[C_DEAD]!;
    const roomyHeapBytes = live * 2 * 2; // twice the live bytes
    if (committed < roomyHeapBytes * SHRINK_RATIO) return; // the fresh heap alone would be too big to gain
    let slots = this.buffers.initialSlots;
    while ((c[C_ENTRIES]! + c[C_HEADS]! + 2) * 8 * 2 > slots * 5) slots *= 2;
    const heapBytes = Math.max(this.buffers.initialHeapBytes, roomyHeapBytes);
    const fresh = slots * SLOT_WORDS * 4 + heapBytes;
    if (committed < fresh * SHRINK_RATIO || committed - fresh < SHRINK_MIN_BYTES) return;
    const { table, heap } = createDataBuffers(this.capacityBytes, slots, heapBytes);
    const old = this.slots.slice();
    const u16 = new Uint16Array(heap);
    let top = 0;
    for (let b = 0; b < old.length; b += SLOT_WORDS) {
      if (old[b + S_HASH] === 0) continue;
      const rec = old[b + S_REC]!;
      const units = this.hdr[rec >> 1]!;
      u16.set(this.u16.subarray(rec, rec + units), top);
      old[b + S_REC] = top;
      top += units;
    }
    const tableView = new Int32Array(table, 0, slots * SLOT_WORDS);
    this.rehash(old, tableView, slots - 1, new Int32Array(heap));
    const generation = c[C_GENERATION]! + 1;
    publish(this.buffers.channel, { generation, table, heap });
    c[C_SLOTS] = slots;
    c[C_HEAP_UNITS] = heap.byteLength / 2;
    c[C_TOP] = top;
    c[C_DEAD] = 0;
    Atomics.store(c, C_GENERATION, generation);
    this.useBuffers(table, heap, generation);
    this.sync();
  }
}
