/**
 * One isolate's views of a map's buffers, and the string heap: bump allocation, compaction, growth.
 * Each isolate keeps fixed-length views (V8 in Node 20 does not optimize length-tracking views) and
 * rebuilds them in `sync()` when the sizes or the buffer generation recorded in `control` move.
 */
import { decodeUnits, encodeUnits } from './codec.js';
import { adoptedBuffers, subscribe } from './generation.js';
import {
  C_COMPACTIONS, C_COUNT_TAGS, C_DEAD, C_GENERATION, C_HEAP_UNITS, C_SLOTS, C_TOP, HEADER_UNITS, S_HASH, S_REC, SLOT_WORDS,
  type GrowableSharedArrayBuffer, type MapBuffers,
} from './layout.js';

export class HeapArea {
  protected readonly ctrl: Int32Array;
  protected readonly buffers: MapBuffers;
  protected readonly capacityBytes: number;
  protected tableBuf: GrowableSharedArrayBuffer;
  protected heapBuf: GrowableSharedArrayBuffer;
  protected readonly countsBuf: GrowableSharedArrayBuffer;
  /** The buffer generation these views belong to. */
  generation = 0;
  protected countTags = 0;
  protected counts!: Int32Array;
  protected slotCount = 0;
  protected mask = 0;
  /** The table; read by the storage's validated lock-free hit path. */
  slots!: Int32Array;
  protected heapUnits = -1;
  protected u16!: Uint16Array;
  protected hdr!: Int32Array;
  protected bytes!: Buffer;

  constructor(buffers: MapBuffers) {
    this.buffers = buffers;
    this.ctrl = new Int32Array(buffers.control);
    this.tableBuf = buffers.table as GrowableSharedArrayBuffer;
    this.heapBuf = buffers.heap as GrowableSharedArrayBuffer;
    this.countsBuf = buffers.counts as GrowableSharedArrayBuffer;
    this.capacityBytes = buffers.capacityBytes;
    this.generation = buffers.generation;
  }

  /** Follow the buffer sets posted on the map's channel until `release()` (only maps that can shrink need to). */
  protected follow(): void {
    const b = this.buffers;
    this.unfollow = subscribe(b.channel, { generation: b.generation, table: b.table, heap: b.heap }, this);
  }

  /** Stop following the map's channel (this object is done with the map). */
  release(): void {
    this.unfollow();
  }
  private unfollow: () => void = () => {};

  /** Rebuild this isolate's views if another isolate grew or replaced the buffers. Call with the lock held. */
  sync(): void {
    const c = this.ctrl;
    if (c[C_GENERATION] !== this.generation) this.adopt(c[C_GENERATION]!);
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

  /** Switch to the buffer set of `generation` (posted by the isolate that made it, before it released the lock). */
  protected adopt(generation: number): void {
    const set = adoptedBuffers(this.buffers.channel, generation);
    this.useBuffers(set.table, set.heap, generation);
  }

  protected useBuffers(table: SharedArrayBuffer, heap: SharedArrayBuffer, generation: number): void {
    this.tableBuf = table as GrowableSharedArrayBuffer;
    this.heapBuf = heap as GrowableSharedArrayBuffer;
    this.generation = generation;
    // The handle this map was opened with now names the current set, so the old one can be collected.
    Object.assign(this.buffers, { table, heap, generation });
    this.slotCount = 0;
    this.heapUnits = -1;
  }

  protected decode(at: number, n: number): string {
    return decodeUnits(this.u16, this.bytes, at, n);
  }

  protected encode(s: string, at: number): void {
    encodeUnits(this.u16, this.bytes, s, at);
  }

  /**
   * Count a slot's record as garbage when the slot lets go of it. The record itself is not touched (on a large heap
   * that is a cache miss per removal): a record is live while its owner slot still points at it (see `compact`).
   */
  protected markDead(units: number): void {
    this.ctrl[C_DEAD]! += units;
  }

  protected writeRecord(at: number, units: number, slot: number, sid: string, key: string, value: string): void {
    this.hdr[at >> 1] = units;
    this.hdr[(at >> 1) + 1] = slot;
    const p = at + HEADER_UNITS;
    this.encode(sid, p);
    this.encode(key, p + sid.length);
    this.encode(value, p + sid.length + key.length);
  }

  /** Reserve `units` at the heap top, compacting or growing first if needed. Write the record before the next alloc. */
  protected alloc(units: number): number {
    const c = this.ctrl;
    if (c[C_TOP]! + units > this.heapUnits) this.makeRoom(units);
    const at = c[C_TOP]!;
    c[C_TOP] = at + units;
    return at;
  }

  /** Throws before changing anything when `units` more would pass the capacity even after compaction. */
  protected makeRoom(units: number): void {
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

  /** Slide live records down over dead ones, repointing their slots. A record is live while its owner slot points at it. */
  protected compact(): void {
    const c = this.ctrl;
    const top = c[C_TOP]!;
    const hdr = this.hdr;
    const slots = this.slots;
    let w = 0;
    for (let r = 0; r < top; ) {
      const units = hdr[r >> 1]!;
      const slot = hdr[(r >> 1) + 1]!;
      const b = slot * SLOT_WORDS;
      if (b < slots.length && slots[b + S_HASH] !== 0 && slots[b + S_REC] === r) {
        if (r !== w) {
          this.u16.copyWithin(w, r, r + units);
          slots[b + S_REC] = w;
        }
        w += units;
      }
      r += units;
    }
    c[C_TOP] = w;
    c[C_DEAD] = 0;
    c[C_COMPACTIONS]!++;
  }

  protected capacityError(extraBytes: number): RangeError {
    const c = this.ctrl;
    const heapBytes = c[C_HEAP_UNITS]! * 2;
    const live = (c[C_TOP]! - c[C_DEAD]!) * 2;
    return new RangeError(
      `shared store capacity exceeded: capacityBytes is ${this.capacityBytes}; the write needs ${extraBytes} more bytes ` +
        `(live data ${live} bytes in a ${heapBytes}-byte heap, table ${c[C_SLOTS]! * SLOT_WORDS * 4} bytes); nothing was changed`,
    );
  }
}
