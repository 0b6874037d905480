/**
 * The stores of one handle, one per `dir`: a second, small map of the same kind holds
 * dir -> "index openCount". A store lives while some isolate has it open; when the last one closes
 * it, its entries are removed and its index is reused, so closing and reopening a dir is a restart of
 * a volatile store (empty), and different dirs of one handle are independent stores.
 */
import { TAGS_PER_STORE, type MapBuffers } from './layout.js';
import { SharedMap } from './map.js';

/** Registry map tags: dir -> "storeIndex openCount"; and free store indices. */
const REG_DIR = 0;
const REG_FREE = 1;

export class Registry {
  private readonly reg: SharedMap;

  constructor(
    buffers: MapBuffers,
    private readonly data: SharedMap,
  ) {
    this.reg = new SharedMap(buffers, false);
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
      if (opens > 1) return void r.put(REG_DIR, '', dir, `${index} ${opens - 1}`);
      this.data.write((d) => {
        for (let t = 0; t < TAGS_PER_STORE; t++) d.delWhere(index * TAGS_PER_STORE + t);
        d.shrinkIfSparse();
      });
      r.del(REG_DIR, '', dir);
      r.put(REG_FREE, '', String(index), '');
    });
  }
}
