/**
 * The hash table of a shared map: lookups, writes, removals, and the per-(tag, session id) chains
 * that make a session clear or a keys() listing proportional to the session. Every method expects
 * the caller to hold the lock (read lock for lookups, write lock for changes) and to have called
 * `sync()` after taking it.
 */
import { hashEntry } from './codec.js';
import { HeapArea } from './heap.js';
import {
  C_COUNT_TAGS, C_DEAD, C_ENTRIES, C_HEADS, C_NEXT_STORE, C_SLOTS, C_TOP, C_VER_HI, C_VER_LO, HEAD_FLAG, HEADER_UNITS,
  recordUnits, S_HASH, S_KEY_LEN, S_NEXT, S_PREV, S_REC, S_SID_LEN, S_TAG, S_VAL_LEN, S_VER_HI, S_VER_LO, SLOT_WORDS,
} from './layout.js';

/** Where an entry was seen: its slot and the version it had there. */
export interface SlotVersion {
  slot: number;
  lo: number;
  hi: number;
}

export class HashTable extends HeapArea {
  // -- lookups (read lock) --

  /** Slot index of (tag, sid, key), or -1. */
  find(tag: number, sid: string, key: string): number {
    return this.findHashed(hashEntry(tag, sid, key), tag, sid, key);
  }

  protected findHashed(h: number, tag: number, sid: string, key: string): number {
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

  private payloadEquals(at: number, sid: string, key: string): boolean {
    const u = this.u16;
    for (let i = 0; i < sid.length; i++) if (u[at + i] !== sid.charCodeAt(i)) return false;
    at += sid.length;
    for (let i = 0; i < key.length; i++) if (u[at + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  get(tag: number, sid: string, key: string): string | null {
    const i = this.find(tag, sid, key);
    return i < 0 ? null : this.valueAt(i);
  }

  /** The value stored in slot `i`. */
  valueAt(i: number): string {
    const b = i * SLOT_WORDS;
    const s = this.slots;
    return this.decode(s[b + S_REC]! + HEADER_UNITS + s[b + S_SID_LEN]! + s[b + S_KEY_LEN]!, s[b + S_VAL_LEN]!);
  }

  /** Slot of the chain head of (tag, sid), or -1 when the chain has no members. */
  headOf(tag: number, sid: string): number {
    return this.find(tag | HEAD_FLAG, sid, '');
  }

  /** Keys of every entry with this tag (and this session id, when given). A fresh array, without decoding values. */
  keysOf(tag: number, sid?: string): string[] {
    const s = this.slots;
    const out: string[] = [];
    if (sid !== undefined) {
      const head = this.headOf(tag, sid);
      if (head < 0) return out;
      for (let i = s[head * SLOT_WORDS + S_NEXT]!; i !== head; i = s[i * SLOT_WORDS + S_NEXT]!) out.push(this.keyAt(i));
      return out;
    }
    for (let i = 0; i < this.slotCount; i++) if (s[i * SLOT_WORDS + S_HASH] !== 0 && s[i * SLOT_WORDS + S_TAG] === tag) out.push(this.keyAt(i));
    return out;
  }

  protected keyAt(i: number): string {
    const b = i * SLOT_WORDS;
    const s = this.slots;
    return this.decode(s[b + S_REC]! + HEADER_UNITS + s[b + S_SID_LEN]!, s[b + S_KEY_LEN]!);
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

  /**
   * True if `at` still names the entry's slot (write lock held): versions are never reused and an entry keeps its
   * version when it moves, so a matching version identifies the entry without hashing its key.
   */
  private holds(at: SlotVersion): boolean {
    const b = at.slot * SLOT_WORDS;
    const s = this.slots;
    return b < s.length && s[b + S_HASH] !== 0 && s[b + S_VER_LO] === at.lo && s[b + S_VER_HI] === at.hi;
  }

  /**
   * Store the value; returns its slot. The slot's version is bumped last, after the value is in place.
   * `at`: where the caller last saw this entry, used instead of a lookup while it still holds.
   */
  put(tag: number, sid: string, key: string, value: string, at?: SlotVersion): number {
    if (at !== undefined && this.holds(at)) return this.overwrite(at.slot, sid, key, value);
    const h = hashEntry(tag, sid, key);
    const i = this.findHashed(h, tag, sid, key);
    if (i >= 0) return this.overwrite(i, sid, key, value);
    const c = this.ctrl;
    if ((c[C_ENTRIES]! + c[C_HEADS]! + 2) * 8 > this.slotCount * 5) this.growTable();
    let head = this.headOf(tag, sid);
    if (head < 0) head = this.insertSlot(hashEntry(tag | HEAD_FLAG, sid, ''), tag | HEAD_FLAG, sid, '', '');
    const m = this.insertSlot(h, tag, sid, key, value);
    const s = this.slots;
    const last = s[head * SLOT_WORDS + S_PREV]!;
    s[m * SLOT_WORDS + S_PREV] = last;
    s[m * SLOT_WORDS + S_NEXT] = head;
    s[last * SLOT_WORDS + S_NEXT] = m;
    s[head * SLOT_WORDS + S_PREV] = m;
    s[head * SLOT_WORDS + S_VAL_LEN]!++;
    c[C_ENTRIES]!++;
    this.counts[tag]!++;
    this.bumpVersion(m);
    this.bumpVersion(head);
    return m;
  }

  /** Replace the value of the entry (tag, sid, key) in slot `i`; returns `i`. */
  private overwrite(i: number, sid: string, key: string, value: string): number {
    const units = recordUnits(sid.length + key.length + value.length);
    const b = i * SLOT_WORDS;
    const rec = this.slots[b + S_REC]!;
    if (this.hdr[rec >> 1] === units) {
      this.encode(value, rec + HEADER_UNITS + sid.length + key.length);
    } else {
      const at = this.alloc(units); // may compact: repoint the slot only after it
      this.markDead(this.unitsAt(i));
      this.writeRecord(at, units, i, sid, key, value);
      this.slots[b + S_REC] = at;
    }
    this.slots[b + S_VAL_LEN] = value.length;
    this.bumpVersion(i);
    return i;
  }

  /** Units of the record slot `i` points at, read from the slot (not from the heap: one cache miss fewer). */
  private unitsAt(i: number): number {
    const b = i * SLOT_WORDS;
    const s = this.slots;
    return recordUnits(s[b + S_SID_LEN]! + s[b + S_KEY_LEN]! + s[b + S_VAL_LEN]!);
  }

  /** Remove (tag, sid, key); true if it was present. `at`: as for `put`. */
  del(tag: number, sid: string, key: string, at?: SlotVersion): boolean {
    const i = at !== undefined && this.holds(at) ? at.slot : this.find(tag, sid, key);
    if (i < 0) return false;
    this.removeMember(i, this.headOf(tag, sid));
    return true;
  }

  /** Remove every entry with this tag and session id (proportional to that chain), or with this tag (a table scan). */
  delWhere(tag: number, sid?: string): void {
    if (this.count(tag) === 0) return;
    if (sid !== undefined) return this.delChain(this.headOf(tag, sid));
    if (this.count(tag) === this.ctrl[C_ENTRIES]) return this.reset();
    // Removals shift later entries backwards, possibly past the cursor: scan until a pass finds no head.
    for (let found = true; found; ) {
      found = false;
      for (let i = 0; i < this.slotCount; i++) {
        if (this.slots[i * SLOT_WORDS + S_TAG] === (tag | HEAD_FLAG) && this.slots[i * SLOT_WORDS + S_HASH] !== 0) {
          this.delChain(i);
          found = true;
        }
      }
    }
  }

  /** Remove the chain whose head is in slot `head` (no-op for -1). */
  protected delChain(head: number): void {
    while (head >= 0) head = this.removeMember(this.slots[head * SLOT_WORDS + S_NEXT]!, head);
  }

  /** Unlink and remove member `i` of the chain headed at `head`; removes the head too when it was the last. Returns the head's slot after shifts. */
  protected removeMember(i: number, head: number): number {
    const s = this.slots;
    const p = s[i * SLOT_WORDS + S_PREV]!;
    const n = s[i * SLOT_WORDS + S_NEXT]!;
    s[p * SLOT_WORDS + S_NEXT] = n;
    s[n * SLOT_WORDS + S_PREV] = p;
    this.counts[s[i * SLOT_WORDS + S_TAG]!]!--;
    this.ctrl[C_ENTRIES]!--;
    head = this.removeAt(i, head);
    if (--s[head * SLOT_WORDS + S_VAL_LEN]! === 0) {
      this.ctrl[C_HEADS]!--;
      this.removeAt(head, -1);
      if (this.ctrl[C_ENTRIES] === 0) this.rewindHeap();
      return -1;
    }
    this.bumpVersion(head);
    return head;
  }

  /** Empty everything: zero the table, rewind the heap. */
  protected reset(): void {
    this.slots.fill(0);
    this.ctrl[C_ENTRIES] = 0;
    this.ctrl[C_HEADS] = 0;
    this.counts.fill(0);
    this.rewindHeap();
  }

  private rewindHeap(): void {
    this.ctrl[C_TOP] = 0;
    this.ctrl[C_DEAD] = 0;
  }

  /**
   * A 64-bit version no slot has had before, written after the data. Plain stores: the write lock is held, and a
   * lock-free reader trusts what it read only if the lock's optimistic stamp shows no writer was inside meanwhile
   * (an atomic store here would be a full fence on every write for nothing).
   */
  protected bumpVersion(i: number): void {
    const c = this.ctrl;
    const lo = (c[C_VER_LO]! + 1) | 0;
    c[C_VER_LO] = lo;
    if (lo === 0) c[C_VER_HI]!++;
    this.slots[i * SLOT_WORDS + S_VER_HI] = c[C_VER_HI]!;
    this.slots[i * SLOT_WORDS + S_VER_LO] = lo;
  }

  /** Place a new record in the first free slot of its probe run; links and versions are the caller's. */
  private insertSlot(h: number, tag: number, sid: string, key: string, value: string): number {
    const at = this.alloc(recordUnits(sid.length + key.length + value.length));
    const s = this.slots;
    let i = h & this.mask;
    while (s[i * SLOT_WORDS + S_HASH] !== 0) i = (i + 1) & this.mask;
    this.writeRecord(at, recordUnits(sid.length + key.length + value.length), i, sid, key, value);
    const b = i * SLOT_WORDS;
    s[b + S_HASH] = h;
    s[b + S_REC] = at;
    s[b + S_TAG] = tag;
    s[b + S_SID_LEN] = sid.length;
    s[b + S_KEY_LEN] = key.length;
    s[b + S_VAL_LEN] = value.length;
    s[b + S_PREV] = i;
    s[b + S_NEXT] = i;
    if ((tag & HEAD_FLAG) !== 0) this.ctrl[C_HEADS]!++;
    return i;
  }

  /** Empty slot `hole` (its links already dealt with); backward-shift the rest of its probe run. Returns where `track` ended up. */
  protected removeAt(hole: number, track: number): number {
    const s = this.slots;
    const mask = this.mask;
    this.markDead(this.unitsAt(hole));
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const jb = j * SLOT_WORDS;
      const h = s[jb + S_HASH]!;
      if (h === 0) break;
      if (((j - (h & mask)) & mask) >= ((j - hole) & mask)) {
        this.moveSlot(j, hole);
        if (track === j) track = hole;
        hole = j;
      }
    }
    const hb = hole * SLOT_WORDS;
    for (let w = 0; w < SLOT_WORDS; w++) s[hb + w] = 0;
    return track;
  }

  /** Move slot `from` to the empty slot `to`, repointing its record and its chain neighbours. */
  private moveSlot(from: number, to: number): void {
    const s = this.slots;
    const tb = to * SLOT_WORDS;
    const fb = from * SLOT_WORDS;
    for (let w = 0; w < SLOT_WORDS; w++) s[tb + w] = s[fb + w]!; // a loop beats copyWithin's call at ten words
    this.hdr[(s[tb + S_REC]! >> 1) + 1] = to;
    const p = s[tb + S_PREV]!;
    const n = s[tb + S_NEXT]!;
    if (p === from) s[tb + S_PREV] = to;
    else s[p * SLOT_WORDS + S_NEXT] = to;
    if (n === from) s[tb + S_NEXT] = to;
    else s[n * SLOT_WORDS + S_PREV] = to;
  }

  /** Double the table and reinsert every slot, keeping versions and remapping chain links. Throws before changing anything if capacity forbids it. */
  protected growTable(): void {
    const nextSlots = this.slotCount * 2;
    const nextBytes = nextSlots * SLOT_WORDS * 4;
    if (nextBytes + this.heapUnits * 2 > this.capacityBytes || nextBytes > this.tableBuf.maxByteLength) throw this.capacityError(nextBytes - this.slotCount * SLOT_WORDS * 4);
    const old = this.slots.slice();
    this.tableBuf.grow(nextBytes);
    this.ctrl[C_SLOTS] = nextSlots;
    this.sync();
    this.slots.fill(0);
    this.rehash(old, this.slots, this.mask, this.hdr);
  }

  /** Insert every slot of `old` into the empty table `into`; returns nothing, links remapped, record owners updated. */
  protected rehash(old: Int32Array, into: Int32Array, mask: number, hdr: Int32Array): void {
    const where = new Int32Array(old.length / SLOT_WORDS);
    for (let b = 0; b < old.length; b += SLOT_WORDS) {
      const h = old[b + S_HASH]!;
      if (h === 0) continue;
      let i = h & mask;
      while (into[i * SLOT_WORDS + S_HASH] !== 0) i = (i + 1) & mask;
      into.set(old.subarray(b, b + SLOT_WORDS), i * SLOT_WORDS);
      hdr[(old[b + S_REC]! >> 1) + 1] = i;
      where[b / SLOT_WORDS] = i;
    }
    for (let i = 0; i < into.length; i += SLOT_WORDS) {
      if (into[i + S_HASH] === 0) continue;
      into[i + S_PREV] = where[into[i + S_PREV]!]!;
      into[i + S_NEXT] = where[into[i + S_NEXT]!]!;
    }
  }
}
