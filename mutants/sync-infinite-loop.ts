// Bug: local storage is a fixed-size open-addressing hash table whose grow check (`used > capacity`) never fires
// before the table is full; once every slot is used, probing for an absent key loops forever, synchronously.
// Caught by: API-TIMELY (the runner must run it off the main thread, kill it and report it).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

const TOMBSTONE = Symbol('deleted');
type Slot = string | typeof TOMBSTONE | undefined;

/** Linear-probing hash table with tombstones. */
class ProbeTable {
  private slots: Slot[] = new Array<Slot>(8);
  private values: string[] = new Array<string>(8);
  /** Slots that are not empty: live keys plus tombstones. */
  private used = 0;

  private hash(key: string): number {
    let h = 0x811c9dc5; // FNV-1a over UTF-16 code units
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  /** The slot holding `key`, or the slot where it should go (first tombstone, else the empty slot ending the probe). */
  private find(key: string): number {
    const mask = this.slots.length - 1;
    let firstTombstone = -1;
    // BUG: terminates only on the key or an empty slot; a full table without the key loops forever.
    for (let i = this.hash(key) & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === undefined) return firstTombstone >= 0 ? firstTombstone : i;
      if (slot === TOMBSTONE) {
        if (firstTombstone < 0) firstTombstone = i;
      } else if (slot === key) return i;
    }
  }

  get(key: string): string | null {
    const i = this.find(key);
    return this.slots[i] === key ? this.values[i]! : null;
  }

  set(key: string, value: string): void {
    if (this.used > this.slots.length) this.grow(); // BUG: meant `this.used + 1 > this.slots.length * 0.75`
    const i = this.find(key);
    if (this.slots[i] === undefined) this.used++;
    this.slots[i] = key;
    this.values[i] = value;
  }

  delete(key: string): void {
    const i = this.find(key);
    if (this.slots[i] === key) this.slots[i] = TOMBSTONE;
  }

  clear(): void {
    this.slots = new Array<Slot>(8);
    this.values = new Array<string>(8);
    this.used = 0;
  }

  keys(): string[] {
    return this.slots.filter((s): s is string => typeof s === 'string');
  }

  private grow(): void {
    const old = this.slots.map((s, i) => [s, this.values[i]] as const);
    this.slots = new Array<Slot>(this.slots.length * 2);
    this.values = new Array<string>(this.slots.length);
    this.used = 0;
    for (const [s, v] of old) if (typeof s === 'string') this.set(s, v!);
  }
}

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new ProbeTable();
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')),
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => ls.keys(),
    },
  };
}

const mutant: Implementation = { name: 'mutant/sync-infinite-loop', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
