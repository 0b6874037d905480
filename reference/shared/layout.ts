/**
 * Where everything lives in the shared buffers of one SharedMap, and how they are created.
 *
 *  control  SharedArrayBuffer, Int32Array[CONTROL_WORDS]: lock word, sleeper count, write sequence
 *           (bumped by each writer before it lets go), slot count, entry and chain-head counts, heap
 *           units / top / dead units, compactions, tag count, the 64-bit version counter, the buffer
 *           generation. Never replaced: it is what every isolate synchronizes on.
 *  table    Int32Array of `slots × SLOT_WORDS`: open addressing, linear probing, backward-shift
 *           deletion (no tombstones). Slot: [hash (0 = empty), record offset, tag, sid length, key
 *           length, value length, prev slot, next slot, version lo, version hi].
 *           Every entry sits on a circular doubly-linked chain with the other entries of its
 *           (tag, session id); the chain's head is a slot of its own (tag | HEAD_FLAG, sid, key "")
 *           whose version changes whenever a member joins or leaves, and whose value length field
 *           counts the members. So a session clear or ls.keys() walks only its chain.
 *  heap     Uint16Array / Int32Array: 2-unit aligned records [units, owning slot or -1 when dead],
 *           then sid, key and value as raw UTF-16 code units; bump-allocated, compacted when a
 *           quarter is garbage.
 *  counts   Int32Array: entries per tag.
 *
 * Versions come from one 64-bit counter per map, bumped under the write lock for every value
 * written and every chain change, so a (slot, version) pair names one write for the map's lifetime:
 * an isolate that decoded a value can tell it is still current by reading two words.
 */

export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(newByteLength: number): void;
  readonly maxByteLength: number;
  readonly growable: boolean;
}
/** Growable SharedArrayBuffer (ES2024; the project's lib is ES2023). */
export const GrowableSAB = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

// --- control words ---
export const C_LOCK = 0;
export const C_SLEEPERS = 1;
export const C_SEQ = 2;
export const C_SLOTS = 3;
export const C_ENTRIES = 4;
export const C_HEADS = 5;
export const C_HEAP_UNITS = 6;
export const C_TOP = 7;
export const C_DEAD = 8;
export const C_COMPACTIONS = 9;
export const C_COUNT_TAGS = 10;
export const C_NEXT_STORE = 11;
export const C_VER_LO = 12;
export const C_VER_HI = 13;
/** Bumped each time the table and heap move to a fresh, smaller buffer set. */
export const C_GENERATION = 14;
export const CONTROL_WORDS = 16;

// --- slots ---
export const SLOT_WORDS = 10;
export const S_HASH = 0;
export const S_REC = 1;
export const S_TAG = 2;
export const S_SID_LEN = 3;
export const S_KEY_LEN = 4;
export const S_VAL_LEN = 5;
export const S_PREV = 6;
export const S_NEXT = 7;
export const S_VER_LO = 8;
export const S_VER_HI = 9;
/** Marks a chain head's tag. */
export const HEAD_FLAG = 1 << 30;

// --- heap ---
/** Record header: two int32 = four code units. */
export const HEADER_UNITS = 4;
export const HEAP_MAX_BYTES = 2 ** 31;
export const TABLE_MAX_BYTES = 2 ** 31;
export const COUNTS_MAX_BYTES = 2 ** 26;

/** Each store (one per `dir`) owns tags [base, base + TAGS_PER_STORE): base + TAG_LS, base + TAG_SESSION; variants may use the others. */
export const TAGS_PER_STORE = 8;
export const TAG_LS = 0;
export const TAG_SESSION = 1;

export interface SharedOptions {
  /** Upper bound on committed shared memory (hash table + string heap), in bytes. Default 2 GiB. */
  capacityBytes?: number;
  /** Initial heap size in bytes (default 64 KiB). */
  initialHeapBytes?: number;
  /** Initial table slot count, a power of two (default 64). */
  initialSlots?: number;
}

/** The buffers of one SharedMap. `table` and `heap` are replaced by a smaller set after mass removals (see generation.ts). */
export interface MapBuffers {
  readonly control: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
  readonly heap: SharedArrayBuffer;
  readonly counts: SharedArrayBuffer;
  readonly capacityBytes: number;
  /** Size of a fresh buffer set: what the map shrinks back to. */
  readonly initialSlots: number;
  readonly initialHeapBytes: number;
  /** Names the BroadcastChannel that carries later buffer sets to every isolate. */
  readonly channel: string;
  /** The generation of `table` and `heap` (0 for the first set). */
  readonly generation: number;
}

export const DEFAULT_CAPACITY = 2 ** 31;

export function createMapBuffers(capacityBytes: number, slots: number, initialHeapBytes: number): MapBuffers {
  if (!(capacityBytes > 0)) throw new RangeError(`capacityBytes must be positive (got ${capacityBytes})`);
  if (slots < 8 || (slots & (slots - 1)) !== 0) throw new RangeError(`initialSlots must be a power of two >= 8 (got ${slots})`);
  const tableBytes = slots * SLOT_WORDS * 4;
  if (tableBytes > capacityBytes) throw new RangeError(`capacityBytes ${capacityBytes} is too small for the initial table (${tableBytes} bytes)`);
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const c = new Int32Array(control);
  const { table, heap } = createDataBuffers(capacityBytes, slots, initialHeapBytes);
  c[C_SLOTS] = slots;
  c[C_HEAP_UNITS] = heap.byteLength / 2;
  c[C_COUNT_TAGS] = TAGS_PER_STORE * 2;
  const counts = new GrowableSAB(TAGS_PER_STORE * 2 * 4, { maxByteLength: COUNTS_MAX_BYTES });
  const channel = `titan-shared-store:${crypto.randomUUID()}`;
  return { control, table, heap, counts, capacityBytes, initialSlots: slots, initialHeapBytes, channel, generation: 0 };
}

/** A table of `slots` and a heap of about `heapBytes`, each growable up to what capacity allows. */
export function createDataBuffers(capacityBytes: number, slots: number, heapBytes: number): { table: GrowableSharedArrayBuffer; heap: GrowableSharedArrayBuffer } {
  const tableBytes = slots * SLOT_WORDS * 4;
  const heapSize = Math.max(0, Math.min(roundUp(heapBytes, 4), capacityBytes - tableBytes, HEAP_MAX_BYTES) & ~3);
  return {
    table: new GrowableSAB(tableBytes, { maxByteLength: Math.max(tableBytes, Math.min(TABLE_MAX_BYTES, floorTo(capacityBytes, 4))) }),
    heap: new GrowableSAB(heapSize, { maxByteLength: Math.max(heapSize, Math.min(HEAP_MAX_BYTES, floorTo(capacityBytes, 4))) }),
  };
}

export function isMapBuffers(b: unknown): b is MapBuffers {
  const m = b as Partial<MapBuffers> | null;
  return (
    typeof m === 'object' && m !== null && typeof m.capacityBytes === 'number' && typeof m.channel === 'string' && typeof m.generation === 'number' &&
    [m.control, m.table, m.heap, m.counts].every((x) => x instanceof SharedArrayBuffer)
  );
}

/** Units of a record holding `payload` code units: header + payload, rounded up to keep headers int32-aligned. */
export function recordUnits(payload: number): number {
  return (HEADER_UNITS + payload + 1) & ~1;
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
function floorTo(n: number, m: number): number {
  return Math.floor(n / m) * m;
}
